"""execute_request options do what the spec says: execute_input and counts, silent, store_history, user_expressions, metadata.started, stop_on_error."""
from __future__ import annotations

import datetime as dt

from harness import write_marker_code


def test_execute_input_echoes_the_code_and_execution_count(kernel):
    code = "const echoed = 3;\nechoed * 2"
    run = kernel.execute(code)
    inputs = run.of_type("execute_input")
    assert len(inputs) == 1
    assert inputs[0]["content"]["code"] == code
    assert inputs[0]["content"]["execution_count"] == run.reply["content"]["execution_count"]
    assert run.outputs[0]["msg_type"] == "execute_input", "execute_input must come before the outputs"
    result = run.of_type("execute_result")[0]["content"]
    assert result["execution_count"] == run.reply["content"]["execution_count"]


def test_execution_count_counts_only_stored_cells(kernel):
    first = kernel.execute("1")
    n = first.reply["content"]["execution_count"]
    kernel.execute("2", store_history=False)
    kernel.execute("3", silent=True)
    last = kernel.execute("4")
    assert last.reply["content"]["execution_count"] == n + 1


def test_silent_execution_broadcasts_no_input_and_no_result(kernel):
    run = kernel.execute("(globalThis as any).silentRan = true; 123", silent=True)
    assert run.status == "ok"
    assert not run.of_type("execute_input")
    assert not run.of_type("execute_result")
    assert kernel.value("(globalThis as any).silentRan") == "true"


def test_user_expressions_are_evaluated_after_the_cell(kernel):
    run = kernel.execute(
        "const userExprBase = 20;",
        user_expressions={"double": "userExprBase * 2", "broken": '(() => { throw new Error("nope"); })()'},
    )
    assert run.status == "ok"
    expressions = run.reply["content"]["user_expressions"]
    assert expressions["double"]["status"] == "ok"
    assert expressions["double"]["data"]["text/plain"] == "40"
    assert expressions["broken"]["status"] == "error"
    assert expressions["broken"]["ename"] == "Error"
    assert expressions["broken"]["evalue"] == "nope"


def test_execute_reply_metadata_has_the_start_time(kernel):
    run = kernel.execute("await new Promise((r) => setTimeout(r, 20))")
    started = run.reply["metadata"].get("started")
    assert started is not None, "execute_reply metadata.started is missing"
    started_at = started if isinstance(started, dt.datetime) else dt.datetime.fromisoformat(started.replace("Z", "+00:00"))
    assert started_at.tzinfo is not None
    assert started_at <= run.reply["header"]["date"]


def test_queued_cells_after_an_error_are_aborted(kernel, tmp_path):
    first = kernel.kc.execute('await new Promise((r) => setTimeout(r, 300));\nthrow new Error("first fails");')
    markers = [tmp_path / "second.txt", tmp_path / "third.txt"]
    queued = [kernel.kc.execute(write_marker_code(m)) for m in markers]
    assert kernel.shell_reply(first)["content"]["status"] == "error"
    for msg_id in queued:
        reply = kernel.shell_reply(msg_id)
        assert reply["content"]["status"] == "aborted"
    for m in markers:
        assert not m.exists(), "an aborted cell ran"
    # Only what was queued is aborted: a request sent now runs at once (no time window).
    assert kernel.value("6 * 7") == "42"


def test_stop_on_error_false_lets_queued_cells_run(kernel, marker):
    first = kernel.kc.execute(
        'await new Promise((r) => setTimeout(r, 300));\nthrow new Error("fails, but do not stop");',
        stop_on_error=False,
    )
    second = kernel.kc.execute(write_marker_code(marker))
    assert kernel.shell_reply(first)["content"]["status"] == "error"
    assert kernel.shell_reply(second)["content"]["status"] == "ok"
    assert marker.read_text() == "ran"
