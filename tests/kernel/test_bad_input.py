"""Bad input does not kill the kernel: unknown message types, malformed frames, process.exit(), late exceptions and unhandled rejections."""
from __future__ import annotations

import json
import time
from typing import Callable

from harness import DELIMITER, RunningKernel, raw_socket, strip_ansi, wait_iopub


def test_an_unknown_message_type_gets_an_error_reply(kernel):
    msg_id = kernel.send_shell("no_such_request", {})
    reply = kernel.shell_reply(msg_id, timeout=10)
    assert reply["content"]["status"] == "error"
    assert reply["msg_type"].endswith("_reply")
    assert kernel.value("1") == "1"


def signed_frames(kernel: RunningKernel, parts: list[bytes]) -> list[bytes]:
    """[delimiter, signature, *parts] signed with the kernel's key (parts may be garbage)."""
    signature = kernel.kc.session.sign(parts)
    return [DELIMITER, signature, *parts]


def test_malformed_frames_and_non_json_content_do_not_kill_the_kernel(kernel):
    session = kernel.kc.session
    header = json.dumps(session.msg_header("execute_request"), default=str).encode()
    garbage = [
        [b"no delimiter at all"],
        [DELIMITER],
        [DELIMITER, b"deadbeef"],
        signed_frames(kernel, [header, b"{}", b"{}"]),  # content frame missing
        signed_frames(kernel, [header, b"{}", b"{}", b"this is not JSON {"]),
        signed_frames(kernel, [b"not json either", b"{}", b"{}", b"{}"]),
        signed_frames(kernel, [b"[1, 2, 3]", b"{}", b"{}", b"{}"]),  # JSON, but not a header
        [DELIMITER, b"\xff\xfe" * 10, b"\x00\x01", b"", b"", b""],
    ]
    sockets = [raw_socket(kernel.connection_info(), channel) for channel in ("shell", "control")]
    try:
        for sock in sockets:
            for frames in garbage:
                sock.send_multipart(frames)
        time.sleep(0.5)  # sockets have linger 0: keep them open until delivery
    finally:
        for sock in sockets:
            sock.close()
    assert kernel.request("kernel_info_request", {}, timeout=10)["content"]["status"] == "ok"
    assert kernel.value('"still alive"') == "'still alive'"


def test_process_exit_in_a_cell_is_reported_and_the_kernel_keeps_running(fresh_kernel):
    k = fresh_kernel
    pid = k.pid
    run = k.execute("process.exit(3)", timeout=30)
    assert "exit" in run.all_text().lower(), f"process.exit() went unreported: {run.outputs} {run.reply}"
    assert k.km.is_alive() and k.pid == pid, "the kernel process itself ended"
    assert k.value("1 + 1") == "2"


def reported(text: str) -> Callable[[dict], bool]:
    """Predicate: an iopub stream or error message that mentions `text`."""

    def predicate(msg: dict) -> bool:
        if msg["msg_type"] == "stream":
            return text in msg["content"]["text"]
        if msg["msg_type"] == "error":
            c = msg["content"]
            return text in strip_ansi(" ".join([c.get("evalue", ""), *c.get("traceback", [])]))
        return False

    return predicate


def test_a_late_exception_from_a_timer_does_not_kill_the_kernel(kernel):
    pid = kernel.pid
    run = kernel.execute('setTimeout(() => { throw new Error("late boom"); }, 50);\n"scheduled"')
    assert run.result_text() == "'scheduled'"
    wait_iopub(kernel, reported("late boom"), timeout=15)
    assert kernel.value("2 + 2") == "4"
    assert kernel.km.is_alive() and kernel.pid == pid


def test_an_unhandled_rejection_does_not_kill_the_kernel(kernel):
    pid = kernel.pid
    # Reported on stderr or as this cell's error: either is fine, dying is not.
    kernel.execute('Promise.reject(new Error("nobody catches this"));\n"went on"')
    wait_iopub(kernel, reported("nobody catches this"), timeout=15)
    assert kernel.value("3 + 3") == "6"
    assert kernel.km.is_alive() and kernel.pid == pid
