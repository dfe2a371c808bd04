"""complete_request, inspect_request and is_complete_request answer with types, and cursor positions count code points."""
from __future__ import annotations

from typing import Any

from harness import RunningKernel


def complete(kernel: RunningKernel, code: str, cursor_pos: int | None = None) -> dict[str, Any]:
    pos = len(code) if cursor_pos is None else cursor_pos
    reply = kernel.request("complete_request", {"code": code, "cursor_pos": pos})
    assert reply["content"]["status"] == "ok"
    return reply["content"]


def test_completion_is_type_aware(kernel):
    code = 'const s = "x"; s.'
    content = complete(kernel, code)
    assert "toUpperCase" in content["matches"]
    assert "push" not in content["matches"]
    assert content["cursor_start"] == content["cursor_end"] == len(code)


def test_completion_cursor_positions_count_code_points(kernel):
    code = 'const e = "😀😀😀😀"; e.toUpp'  # each emoji is one code point, two UTF-16 units
    content = complete(kernel, code)
    assert content["matches"] == ["toUpperCase"]
    assert content["cursor_end"] == len(code)
    assert content["cursor_start"] == len(code) - len("toUpp")


def test_completion_in_the_middle_of_a_cell(kernel):
    code = "Math.ma\nconst afterCursor = 1;"
    content = complete(kernel, code, cursor_pos=len("Math.ma"))
    assert "max" in content["matches"]
    assert (content["cursor_start"], content["cursor_end"]) == (5, 7)


def test_completion_knows_declarations_from_earlier_cells(kernel):
    kernel.execute("const declaredEarlierForCompletion = { fieldOne: 1 };")
    assert "declaredEarlierForCompletion" in complete(kernel, "declaredEarlierFor")["matches"]
    assert complete(kernel, "declaredEarlierForCompletion.fie")["matches"] == ["fieldOne"]


def test_completion_of_package_exports_uses_their_types(kernel):
    assert complete(kernel, 'import * as g from "cjs-greeter";\ng.gr')["matches"] == ["greet"]


def inspect(kernel: RunningKernel, code: str, cursor_pos: int | None = None) -> dict[str, Any]:
    pos = len(code) if cursor_pos is None else cursor_pos
    reply = kernel.request("inspect_request", {"code": code, "cursor_pos": pos, "detail_level": 0})
    assert reply["content"]["status"] == "ok"
    return reply["content"]


def test_inspect_shows_the_type_of_the_name_at_the_cursor(kernel):
    content = inspect(kernel, '"abc".toUpperCase')
    assert content["found"] is True
    text = content["data"]["text/plain"]
    assert "toUpperCase" in text and "string" in text


def test_inspect_cursor_counts_code_points(kernel):
    code = 'const s = "😀😀😀😀"; s.length'
    cursor = code.index("length") + 2  # inside "length", counted in code points
    text = inspect(kernel, code, cursor)["data"]["text/plain"]
    assert "length" in text and "number" in text


def test_inspect_of_nothing_is_not_found(kernel):
    content = inspect(kernel, "   ", 1)
    assert content["found"] is False


def test_is_complete_gives_an_indent_for_incomplete_code(kernel):
    reply = kernel.request("is_complete_request", {"code": "function f() {"})
    assert reply["content"]["status"] == "incomplete"
    assert isinstance(reply["content"]["indent"], str)
