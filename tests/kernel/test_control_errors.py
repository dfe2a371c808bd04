"""Error replies to control requests come back on control, never on shell.

A front end waits for a control reply on the control socket only: an error
answered on shell would leave it waiting (and confuse whoever reads shell).
The handler-level case (a control handler that throws) is covered without
sockets in tests/unit/kernel/kernel_dispatch.test.ts; from a real client no
control handler can be made to throw, so these requests reach the kernel's
error replies through the requests it refuses.
"""
from __future__ import annotations

from queue import Empty

import pytest

from harness import RunningKernel


@pytest.fixture(scope="module")
def kernel():
    k = RunningKernel()
    yield k
    k.close()


def shell_messages_for(kernel: RunningKernel, msg_id: str, wait_s: float = 1.0) -> list[dict]:
    """Whatever arrives on shell for `msg_id` within `wait_s` (other replies are dropped)."""
    found = []
    while True:
        try:
            msg = kernel.kc.get_shell_msg(timeout=wait_s)
        except Empty:
            return found
        if msg["parent_header"].get("msg_id") == msg_id:
            found.append(msg)


@pytest.mark.parametrize("msg_type", ["frobnicate_request", "execute_request"])
def test_a_refused_control_request_gets_its_error_reply_on_control(kernel, msg_type):
    msg_id = kernel.send_control(msg_type, {"code": "1"})
    reply = kernel.control_reply(msg_id, timeout=10)
    assert reply["msg_type"] == msg_type.replace("_request", "_reply")
    assert reply["content"]["status"] == "error"
    assert reply["content"]["ename"] == "UnknownMessageType"
    assert "control" in reply["content"]["evalue"]
    assert shell_messages_for(kernel, msg_id) == []
    # The kernel keeps answering on both sockets.
    assert kernel.control_reply(kernel.send_control("kernel_info_request", {}), timeout=10)["content"]["status"] == "ok"
    assert kernel.request("kernel_info_request", {})["content"]["status"] == "ok"
