"""Messages with a bad or missing HMAC signature are dropped (and logged) without running; correctly signed raw frames, buffers included, do run."""
from __future__ import annotations

import json
import re
import time

import pytest
from jupyter_client.manager import KernelManager

from harness import (
    DELIMITER,
    RunningKernel,
    execute_content,
    raw_socket,
    recv_within,
    session_with_key,
    ts_string,
    write_marker_code,
)


def send_raw_execute(
    kernel: RunningKernel,
    key: bytes,
    code: str,
    tamper: str | None = None,
    scheme: str = "hmac-sha256",
    buffers: list[bytes] | None = None,
):
    """Sends an execute_request built by hand; `tamper` names a part changed after signing."""
    info = kernel.connection_info()
    sock = raw_socket(info, "shell")
    session = session_with_key(key, scheme)
    msg = session.msg("execute_request", execute_content(code, store_history=False))
    frames = session.serialize(msg)
    index = frames.index(DELIMITER)
    if tamper == "content":
        frames[index + 5] = json.dumps(execute_content(code + "\n// changed", store_history=False)).encode()
    elif tamper == "metadata":
        frames[index + 4] = json.dumps({"changed": True}).encode()
    elif tamper == "parent_header":
        frames[index + 3] = json.dumps({"msg_id": "forged"}).encode()
    elif tamper is not None:
        raise ValueError(tamper)
    sock.send_multipart(frames + (buffers or []))
    return sock


def kernel_key(kernel: RunningKernel) -> bytes:
    key = kernel.connection_info()["key"]
    return key if isinstance(key, bytes) else key.encode()


def test_runs_a_correctly_signed_message_sent_on_a_raw_socket(kernel, marker):
    """Control for the signature tests: hand-built frames with the right key do run."""
    sock = send_raw_execute(kernel, kernel_key(kernel), write_marker_code(marker))
    try:
        frames = recv_within(sock, 30)
        assert frames is not None, "no reply to a correctly signed raw execute_request"
        parts = frames[frames.index(DELIMITER) + 1 :]
        reply = kernel.kc.session.deserialize(parts)
        assert reply["msg_type"] == "execute_reply"
        # On the wire the date is ISO 8601 with a time zone (jupyter_client would
        # silently read a naive one as local time).
        raw_date = json.loads(parts[1])["date"]
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)", raw_date), raw_date
        assert reply["content"]["status"] == "ok"
        assert marker.read_text() == "ran"
    finally:
        sock.close()


TAMPERED_FRAME = {"header": 2, "parent_header": 3, "metadata": 4, "content": 5}


def test_binary_buffers_are_not_part_of_the_signature(kernel, marker):
    """Buffers after the content frame are outside the HMAC (messaging spec, "The Wire Protocol")."""
    sock = send_raw_execute(kernel, kernel_key(kernel), write_marker_code(marker), buffers=[b"\x00\x01binary"])
    try:
        frames = recv_within(sock, 30)
        assert frames is not None, "a correctly signed message with a buffer was dropped"
        assert marker.read_text() == "ran"
    finally:
        sock.close()


def test_a_dropped_message_is_logged(workdir, tmp_path, marker):
    log_path = tmp_path / "kernel-stderr.log"
    with open(log_path, "wb") as log:
        km = KernelManager(kernel_name="tsgpu")
        km.start_kernel(cwd=str(workdir), stdout=log, stderr=log)
    k = RunningKernel.__new__(RunningKernel)
    k.km, k.kc, k.iopub_log = km, km.client(), []
    k.kc.start_channels()
    try:
        k.kc.wait_for_ready(timeout=60)
        sock = send_raw_execute(k, b"not-the-kernel-key", write_marker_code(marker))
        time.sleep(0.5)  # keep the socket open (linger 0) until the message is delivered
        sock.close()
        assert k.value("1") == "1"
        time.sleep(0.2)
        assert "signature" in log_path.read_text(errors="replace").lower(), "no log line about the bad signature"
        assert not marker.exists()
    finally:
        k.close()


@pytest.mark.parametrize(
    "how",
    [
        "signed with a wrong key",
        "unsigned",
        "signed with another scheme (hmac-sha1)",
        "content changed after signing",
        "metadata changed after signing",
        "parent_header changed after signing",
    ],
)
def test_rejects_a_badly_signed_message_without_running_it(kernel, marker, how):
    key = {"signed with a wrong key": b"not-the-kernel-key", "unsigned": b""}.get(how, kernel_key(kernel))
    scheme = "hmac-sha1" if "sha1" in how else "hmac-sha256"
    tamper = next((part for part in TAMPERED_FRAME if how.startswith(part + " changed")), None)
    sock = send_raw_execute(kernel, key, write_marker_code(marker), tamper=tamper, scheme=scheme)
    try:
        assert recv_within(sock, 1.0) is None, "the kernel answered a message with a bad signature"
        # A valid request afterwards: the bad one has been handled (dropped) by now.
        assert kernel.value(f'import {{ existsSync }} from "node:fs";\nexistsSync({ts_string(str(marker))})') == "false"
        assert not marker.exists()
    finally:
        sock.close()
