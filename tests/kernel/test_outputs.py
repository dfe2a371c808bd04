"""Cell outputs reach the front end intact and in order: results, streams, display, update_display_data, clear_output, and a cap on floods."""
from __future__ import annotations

import base64
import re

import pytest

from harness import tiny_png, ts_bytes, wait_iopub


@pytest.mark.parametrize(
    "code, text",
    [
        ("1 + 1", "2"),
        ('"a" + "b"', "'ab'"),
        ("[1, 2, 3]", "[ 1, 2, 3 ]"),
        ('({ a: 1, nested: { b: "c" } })', "{ a: 1, nested: { b: 'c' } }"),
        ("new Set([1, 2])", "Set(2) { 1, 2 }"),
        ("null", "null"),
        ("3.5", "3.5"),
        ("class Pt { constructor(public x: number) {} }\nnew Pt(1)", "Pt { x: 1 }"),
    ],
)
def test_last_expression_value_is_the_execute_result_in_util_inspect_style(kernel, code, text):
    assert kernel.value(code) == text


@pytest.mark.parametrize("code", ["const noResult = 1;", "undefined", 'console.log("only a stream")', "let declared: number;"])
def test_cells_without_a_value_have_no_execute_result(kernel, code):
    run = kernel.execute(code)
    assert run.status == "ok"
    assert not run.of_type("execute_result")


def test_console_log_and_console_error_go_to_separate_streams_in_order(kernel):
    run = kernel.execute('console.log("out 1"); console.error("err 1"); console.log("out 2"); console.error("err 2")')
    assert run.stream_text("stdout") == "out 1\nout 2\n"
    assert run.stream_text("stderr") == "err 1\nerr 2\n"


def test_console_log_formats_objects_like_node(kernel):
    run = kernel.execute('console.log({ a: 1, b: [1, 2] }, "text", 3)')
    assert run.stream_text("stdout") == "{ a: 1, b: [ 1, 2 ] } text 3\n"


def test_pipelined_requests_are_answered_in_order(kernel):
    msg_ids = [kernel.kc.execute(f"{i} * 10") for i in range(20)]
    counts = []
    for i, msg_id in enumerate(msg_ids):
        reply = kernel.shell_reply(msg_id)
        assert reply["content"]["status"] == "ok"
        counts.append(reply["content"]["execution_count"])
        outputs = kernel.iopub_until_idle(msg_id)
        results = [m for m in outputs if m["msg_type"] == "execute_result"]
        assert results[0]["content"]["data"]["text/plain"] == str(i * 10)
    assert counts == list(range(counts[0], counts[0] + 20))


def test_many_console_lines_are_batched_into_few_stream_messages(kernel):
    run = kernel.execute("for (let i = 0; i < 2000; i++) console.log(i);")
    streams = run.of_type("stream")
    assert run.stream_text("stdout") == "".join(f"{i}\n" for i in range(2000))
    assert len(streams) <= 100, f"2000 lines arrived in {len(streams)} stream messages (not batched)"


def test_multibyte_output_split_across_pipe_reads_arrives_intact(kernel):
    # 4-byte UTF-8 characters over many 64 KiB pipe reads: a reader that decodes each
    # chunk on its own turns the characters cut at chunk boundaries into U+FFFD.
    run = kernel.execute('process.stdout.write("a😀é".repeat(50000)); process.stderr.write("ü".repeat(70001));')
    assert run.status == "ok"
    assert run.stream_text("stdout") == "a😀é" * 50000
    assert run.stream_text("stderr") == "ü" * 70001


def test_streams_and_displays_keep_their_order(kernel):
    run = kernel.execute(
        'console.log("before"); display.html("<i>middle</i>"); console.error("err");\n'
        'process.stdout.write("after\\n"); display.markdown("*end*");'
    )
    sequence = [
        m["content"]["text"] if m["msg_type"] == "stream" else next(iter(sorted(set(m["content"]["data"]) - {"text/plain"})))
        for m in run.outputs
        if m["msg_type"] in ("stream", "display_data")
    ]
    # stdout and stderr are two pipes: text written to both between the same two displays
    # arrives in either order, so only each stream's order and the displays' places are exact.
    assert sequence[:2] == ["before\n", "text/html"]
    assert sorted(sequence[2:4]) == ["after\n", "err\n"]
    assert sequence[4:] == ["text/markdown"]


def test_display_is_importable_from_tsgpu_in_any_notebook_folder(kernel):
    run = kernel.execute('import { display as show } from "tsgpu";\nshow.html("<u>imported</u>");')
    assert run.status == "ok", run.all_text()
    assert run.of_type("display_data")[0]["content"]["data"]["text/html"] == "<u>imported</u>"


def test_display_html_sends_display_data_with_a_text_plain_fallback(kernel):
    run = kernel.execute('display.html("<b>bold</b>")')
    shown = run.of_type("display_data")
    assert len(shown) == 1
    data = shown[0]["content"]["data"]
    assert data["text/html"] == "<b>bold</b>"
    assert isinstance(data.get("text/plain"), str)


def test_display_as_last_expression_does_not_also_produce_an_execute_result(kernel):
    run = kernel.execute('display.markdown("**once**")')
    assert len(run.of_type("display_data")) == 1
    assert not run.of_type("execute_result"), "the display handle was shown as a result"


def test_display_png_sends_the_bytes_base64_encoded(kernel):
    png = tiny_png()
    run = kernel.execute(f"display.png({ts_bytes(png)})")
    data = run.of_type("display_data")[0]["content"]["data"]
    assert base64.b64decode(data["image/png"]) == png


def test_display_json_sends_structured_data(kernel):
    run = kernel.execute('display.json({ a: 1, list: [1, "two"] })')
    data = run.of_type("display_data")[0]["content"]["data"]
    assert data["application/json"] == {"a": 1, "list": [1, "two"]}


def test_jupyter_display_symbol_object_is_shown_with_its_bundle(kernel):
    run = kernel.execute(
        'class Badge { [Symbol.for("Jupyter.display")]() { return { "text/html": "<span>ok</span>", "text/plain": "ok" }; } }\n'
        "new Badge()"
    )
    data = run.of_type("execute_result")[0]["content"]["data"]
    assert data == {"text/html": "<span>ok</span>", "text/plain": "ok"}


def test_update_display_replaces_an_output_by_display_id(kernel):
    run = kernel.execute('const handle = display("first", { displayId: "progress-1" });\nhandle.update("second");')
    shown = run.of_type("display_data")
    updates = run.of_type("update_display_data")
    assert len(shown) == 1 and len(updates) == 1
    assert shown[0]["content"]["transient"]["display_id"] == "progress-1"
    assert updates[0]["content"]["transient"]["display_id"] == "progress-1"
    assert "second" in updates[0]["content"]["data"]["text/plain"]
    # A later cell can update the output another cell made.
    later = kernel.execute('handle.update("third");')
    updates = later.of_type("update_display_data")
    assert len(updates) == 1
    assert updates[0]["content"]["transient"]["display_id"] == "progress-1"
    assert "third" in updates[0]["content"]["data"]["text/plain"]


def test_output_from_timers_after_the_cell_ended_still_arrives(kernel):
    run = kernel.execute(
        'const tick = display("tick 0", { displayId: "ticker" });\n'
        "let ticks = 0;\n"
        "const ticker = setInterval(() => {\n"
        "  tick.update(`tick ${++ticks}`);\n"
        '  if (ticks === 3) { clearInterval(ticker); console.log("ticker done"); }\n'
        "}, 30);"
    )
    assert run.status == "ok"
    wait_iopub(kernel, lambda m: m["msg_type"] == "stream" and "ticker done" in m["content"]["text"], timeout=15)
    updates = [
        m["content"]["data"]["text/plain"]
        for m in kernel.iopub_log
        if m["msg_type"] == "update_display_data" and m["content"]["transient"].get("display_id") == "ticker"
    ]
    assert [u.strip("'") for u in updates] == ["tick 1", "tick 2", "tick 3"]


def test_clear_output_is_sent_with_and_without_wait(kernel):
    run = kernel.execute('console.log("a"); display.clear(); console.log("b"); display.clear(true);')
    clears = run.of_type("clear_output")
    assert [c["content"]["wait"] for c in clears] == [False, True]
    kinds = [m["msg_type"] for m in run.outputs if m["msg_type"] in ("stream", "clear_output")]
    assert kinds.index("clear_output") > 0, "clear_output overtook the output printed before it"


def test_many_megabytes_of_output_are_cut_with_a_note_and_the_kernel_survives(kernel):
    size = 20 * 1024 * 1024
    run = kernel.execute(f'process.stdout.write("x".repeat({size}));\n"after the flood"', timeout=120)
    assert run.status == "ok"
    received = run.stream_text()
    assert len(received) < size, "all 20 MB were forwarded to the front end"
    assert re.search(r"truncat|omitted|dropped|throttl|limit", received, re.IGNORECASE), (
        "output was cut without a note saying so"
    )
    assert run.result_text() == "'after the flood'"
    assert kernel.value("1 + 1") == "2"
