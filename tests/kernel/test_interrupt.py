"""Interrupts (message and signal modes) stop busy loops, pending awaits and prompts, and control, heartbeat and completion answer while a cell runs."""
from __future__ import annotations

import time

import zmq

from harness import RunningKernel, raw_socket, recv_within, wait_started, write_marker_code


def test_interrupt_request_stops_a_busy_loop_and_variables_survive(fresh_kernel):
    k = fresh_kernel
    assert k.execute("let spins = 0;").status == "ok"
    loop = k.kc.execute('const declaredBeforeLoop = "kept";\nwhile (true) { spins++; }')
    wait_started(k, loop)
    time.sleep(0.5)
    interrupt = k.send_control("interrupt_request", {})
    assert k.control_reply(interrupt, timeout=15)["content"]["status"] == "ok"
    assert k.shell_reply(loop, timeout=15)["content"]["status"] == "error"
    assert k.value("spins > 0") == "true"
    assert k.value("declaredBeforeLoop") == "'kept'"


def test_an_interrupt_sent_right_after_the_request_is_not_lost(fresh_kernel):
    # The signal may land while the cell is still being checked or not yet started.
    k = fresh_kernel
    loop = k.kc.execute("let neverEnds = 0;\nwhile (true) { neverEnds++; }")
    k.send_control("interrupt_request", {})
    assert k.shell_reply(loop, timeout=30)["content"]["status"] == "error"
    assert k.value('"usable"') == "'usable'"


def test_control_usage_and_heartbeat_answer_while_a_cell_spins(fresh_kernel):
    k = fresh_kernel
    loop = k.kc.execute("while (true) {}")
    wait_started(k, loop)
    usage = k.control_reply(k.send_control("usage_request", {}), timeout=10)
    assert usage["msg_type"] == "usage_reply"
    hb = raw_socket(k.connection_info(), "hb", zmq.REQ)
    try:
        hb.send(b"still there?")
        assert recv_within(hb, 5) == [b"still there?"]
    finally:
        hb.close()
    k.send_control("interrupt_request", {})
    assert k.shell_reply(loop, timeout=15)["content"]["status"] == "error"


def test_completion_is_answered_while_a_cell_runs(fresh_kernel):
    # docs/ARCHITECTURE.md: the compiler worker answers complete/inspect "so completion
    # works while a long cell runs".
    k = fresh_kernel
    loop = k.kc.execute("while (true) {}")
    wait_started(k, loop)
    msg_id = k.send_shell("complete_request", {"code": "Math.ma", "cursor_pos": 7})
    try:
        reply = k.shell_reply(msg_id, timeout=10)
        assert "max" in reply["content"]["matches"]
    finally:
        k.send_control("interrupt_request", {})
    assert k.shell_reply(loop, timeout=15)["content"]["status"] == "error"


def test_interrupt_rejects_a_pending_await_in_its_cell(fresh_kernel):
    k = fresh_kernel
    pending = k.kc.execute("await new Promise(() => {});")
    wait_started(k, pending)
    time.sleep(0.3)
    k.send_control("interrupt_request", {})
    reply = k.shell_reply(pending, timeout=15)
    assert reply["content"]["status"] == "error"
    assert k.value("1 + 1") == "2"


def test_an_endless_printing_loop_can_be_interrupted_and_its_output_stays_bounded(fresh_kernel):
    k = fresh_kernel
    loop = k.kc.execute('for (;;) console.log("spam spam spam spam spam spam spam spam");')
    wait_started(k, loop)
    time.sleep(2)
    k.send_control("interrupt_request", {})
    assert k.shell_reply(loop, timeout=30)["content"]["status"] == "error"
    outputs = k.iopub_until_idle(loop, timeout=30, busy_already_seen=True)
    printed = sum(len(m["content"]["text"]) for m in outputs if m["msg_type"] == "stream")
    assert printed <= 16 * 1024 * 1024, f"{printed} bytes forwarded from one cell"
    assert k.value("1 + 1") == "2"


def test_interrupt_while_a_prompt_waits_for_input_fails_the_cell(fresh_kernel):
    k = fresh_kernel
    waiting = k.kc.execute('prompt("never answered")', allow_stdin=True)
    request = k.kc.get_stdin_msg(timeout=30)
    assert request["content"]["prompt"] == "never answered"
    k.send_control("interrupt_request", {})
    assert k.shell_reply(waiting, timeout=15)["content"]["status"] == "error"
    assert k.value('"next"') == "'next'"


def test_signal_interrupt_mode_stops_a_busy_loop(workdir):
    k = RunningKernel(cwd=workdir, kernel_name="tsgpu-signal")
    try:
        assert k.execute("let counted = 0;").status == "ok"
        loop = k.kc.execute("while (true) { counted++; }")
        wait_started(k, loop)
        time.sleep(0.5)
        k.km.interrupt_kernel()  # SIGINT to the kernel process
        assert k.shell_reply(loop, timeout=15)["content"]["status"] == "error"
        assert k.value("counted > 0") == "true"
    finally:
        k.close()


def test_interrupt_while_idle_does_not_break_the_next_cell(kernel):
    reply = kernel.control_reply(kernel.send_control("interrupt_request", {}), timeout=10)
    assert reply["content"]["status"] == "ok"
    assert kernel.value('await new Promise((r) => setTimeout(() => r("fine"), 50))') == "'fine'"


def test_an_interrupt_while_the_first_cell_is_checked_stops_it_before_it_runs(fresh_kernel, marker):
    # Right after start the checker is still loading its libraries, so the cell waits in the check.
    k = fresh_kernel
    cell = k.kc.execute(write_marker_code(marker) + "\nMath.max(1, 2)")
    time.sleep(0.05)
    k.send_control("interrupt_request", {})
    assert k.shell_reply(cell, timeout=30)["content"]["status"] == "error"
    assert not marker.exists(), "an interrupted cell ran"
    assert k.value("17 * 2 + 1") == "35"
