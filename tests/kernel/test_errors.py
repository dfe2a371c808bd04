"""Runtime, type and syntax errors are reported with cell line numbers, and a cell that fails to check does not run."""
from __future__ import annotations

import re

from harness import strip_ansi, write_marker_code


def test_runtime_error_has_name_message_and_a_traceback_in_cell_lines(kernel):
    code = (
        "interface Point {\n"
        "  x: number;\n"
        "  y: number;\n"
        "}\n"
        "function fail(p: Point): never {\n"
        "  throw new RangeError(`bad point ${p.x}`);\n"  # line 6
        "}\n"
        "fail({ x: 1, y: 2 });\n"  # line 8
    )
    run = kernel.execute(code)
    assert run.status == "error"
    error = run.error()
    assert error["ename"] == "RangeError"
    assert error["evalue"] == "bad point 1"
    traceback = strip_ansi("\n".join(error["traceback"]))
    # Interfaces vanish from the emitted JavaScript: only source-mapped positions say 6 and 8.
    assert re.search(r"(:6:\d+|line 6\b)", traceback), traceback
    assert re.search(r"(:8:\d+|line 8\b)", traceback), traceback
    reply = run.reply["content"]
    assert (reply["ename"], reply["evalue"]) == ("RangeError", "bad point 1")
    assert isinstance(reply["traceback"], list)


def test_type_error_reports_the_code_line_and_column_and_the_cell_does_not_run(kernel, marker):
    code = write_marker_code(marker) + '\nconst n: number = "not a number";'
    run = kernel.execute(code)
    assert run.status == "error"
    error = run.error()
    assert error["ename"] == "TSError"
    assert "TS2322" in error["evalue"]
    assert "line 3, column 7" in error["evalue"]
    assert not marker.exists(), "a cell with a type error ran"


def test_ts_nocheck_runs_a_cell_despite_type_errors(kernel, marker):
    code = "// @ts-nocheck\n" + write_marker_code(marker) + '\nconst n: number = "not a number";\nn'
    run = kernel.execute(code)
    assert run.status == "ok", run.all_text()
    assert marker.read_text() == "ran"
    assert run.result_text() == "'not a number'"


def test_syntax_error_is_reported_and_the_cell_does_not_run(kernel, marker):
    run = kernel.execute(write_marker_code(marker) + "\nconst = ;")
    assert run.status == "error"
    assert run.error()["evalue"]
    assert not marker.exists()


def test_throwing_a_non_error_value_is_reported(kernel):
    run = kernel.execute('throw "plain string"')
    assert run.status == "error"
    assert "plain string" in run.error()["evalue"]
    assert kernel.value("1") == "1"


def test_literal_cells_give_their_values_and_a_type_error_after_many_still_stops_its_cell(kernel, marker):
    # Literal arithmetic cells skip the checker (kernel/compiler/literal_cell.ts); the next cell
    # that needs it is checked as before.
    for n in range(30):
        assert kernel.value(f"17 * 2 + {n}") == str(34 + n)
    assert kernel.value("(1.5 - 2) / -0.25;") == "2"
    run = kernel.execute(write_marker_code(marker) + '\nconst late: number = "text";')
    assert run.status == "error"
    assert run.error()["ename"] == "TSError"
    assert not marker.exists(), "a cell with a type error ran"


def test_after_hundreds_of_cells_a_declared_function_still_maps_and_a_forgotten_cell_says_it_is_too_old(fresh_kernel):
    # The execution child keeps cell sources for the last 500 cells and for cells whose
    # declarations are current (executor/cell_sources.ts); everything else is forgotten.
    declared = fresh_kernel.execute("function failDeep(): never {\n  throw new Error('deep');\n}")
    assert declared.status == "ok", declared.all_text()
    anonymous = fresh_kernel.execute("(globalThis as any).failAnonymous = () => {\n  throw new Error('anonymous');\n};")
    assert anonymous.status == "ok", anonymous.all_text()
    first = anonymous.reply["content"]["execution_count"]
    for i in range(510):
        assert fresh_kernel.execute(f"{i} + 1").status == "ok"

    deep = strip_ansi("\n".join(fresh_kernel.execute("failDeep()").error()["traceback"]))
    assert re.search(rf"cell\[{first - 1}\]:2:\d+", deep), deep
    assert "throw new Error('deep')" in deep, deep

    old = strip_ansi("\n".join(fresh_kernel.execute("(globalThis as any).failAnonymous()").error()["traceback"]))
    assert re.search(rf"cell\[{first}\]:\d+:\d+\).*too old to map", old), old
