"""shutdown_request ends the process, restart gives a fresh state, the heartbeat echoes, and usage_request reports like ipykernel."""
from __future__ import annotations

import os
import time
import uuid

import zmq

from harness import RunningKernel, raw_socket, recv_within


def test_shutdown_request_is_answered_and_the_process_ends(workdir):
    k = RunningKernel(cwd=workdir)
    try:
        reply = k.control_reply(k.send_control("shutdown_request", {"restart": False}), timeout=10)
        assert reply["msg_type"] == "shutdown_reply"
        assert reply["content"]["status"] == "ok"
        assert reply["content"]["restart"] is False
        deadline = time.monotonic() + 10
        while k.km.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not k.km.is_alive(), "the kernel process is still running after shutdown_reply"
    finally:
        k.close()


def test_shutdown_reply_echoes_restart(workdir):
    k = RunningKernel(cwd=workdir)
    try:
        reply = k.control_reply(k.send_control("shutdown_request", {"restart": True}), timeout=10)
        assert reply["content"]["restart"] is True
    finally:
        k.close()


def test_restart_gives_a_fresh_state(workdir):
    k = RunningKernel(cwd=workdir)
    try:
        assert k.execute("const beforeRestart = 1;").status == "ok"
        old_pid = k.pid
        k.km.restart_kernel(now=False)
        k.kc.wait_for_ready(timeout=60)
        assert k.pid != old_pid
        # The type checker forgot the name, and so did the runtime.
        forgotten = k.execute("typeof beforeRestart")
        assert forgotten.status == "error" and "TS2304" in forgotten.error()["evalue"]
        assert k.value("// @ts-nocheck\ntypeof beforeRestart") == "'undefined'"
        assert k.value("const beforeRestart = 2; beforeRestart") == "2"
    finally:
        k.close()


def test_heartbeat_echoes_what_it_receives(kernel):
    hb = raw_socket(kernel.connection_info(), "hb", zmq.REQ)
    try:
        payload = uuid.uuid4().bytes
        hb.send(payload)
        assert recv_within(hb, 5) == [payload]
    finally:
        hb.close()


def test_usage_request_on_control_reports_like_ipykernel(kernel):
    reply = kernel.control_reply(kernel.send_control("usage_request", {}), timeout=10)
    assert reply["msg_type"] == "usage_reply"
    content = reply["content"]
    assert isinstance(content["kernel_cpu"], (int, float)) and content["kernel_cpu"] >= 0
    assert isinstance(content["kernel_memory"], int) and content["kernel_memory"] > 10 * 1024 * 1024
    assert content["cpu_count"] == os.cpu_count()
    memory = content["host_virtual_memory"]
    assert memory["total"] > memory["available"] > 0
    assert isinstance(content["hostname"], str)
    assert isinstance(content["pid"], int)
    if "host_cpu_percent" in content:
        assert 0 <= content["host_cpu_percent"] <= 100


def test_usage_kernel_memory_includes_what_cells_allocate(kernel):
    # Cells run in the execution child: like ipykernel (which sums the kernel's children),
    # kernel_memory must count it, or the resource panel misses the notebook's memory.
    def kernel_memory() -> int:
        return kernel.control_reply(kernel.send_control("usage_request", {}), timeout=10)["content"]["kernel_memory"]

    # The kernel process's own memory moves by up to ~200 MB meanwhile (the TypeScript worker's
    # heap collects garbage as it checks the cell), so the ballast is large against that.
    before = kernel_memory()
    assert kernel.execute("(globalThis as any).ballast = Buffer.alloc(600 * 1024 * 1024, 1);").status == "ok"
    try:
        assert kernel_memory() - before >= 300 * 1024 * 1024
    finally:
        kernel.execute("(globalThis as any).ballast = undefined;")
