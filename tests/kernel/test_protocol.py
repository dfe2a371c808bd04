"""Behaviours of the tsgpu kernel seen by a real Jupyter client (jupyter_client + pyzmq).

Most tests share one kernel (module fixture `kernel`) whose working directory is a
temporary "notebook folder" with a node_modules tree, a relative .ts module and nothing
else. Tests that end, restart or interrupt a kernel start their own (`fresh_kernel`).
Raw-socket tests build Jupyter wire frames by hand with pyzmq.

Side effects that must NOT happen (a badly signed message, an aborted cell) are proven
with a marker file the cell would write, checked after a later, valid request: the
kernel handles shell requests in order, so the bad one has been dealt with by then.
"""
from __future__ import annotations

import base64
import datetime as dt
import json
import os
import re
import time
import uuid
from pathlib import Path
from queue import Empty
from typing import Any, Callable

import pytest
import zmq
from jupyter_client.manager import KernelManager
from jupyter_kernel_test.msgspec_v5 import validate_message

from harness import (
    RunningKernel,
    raw_socket,
    recv_within,
    session_with_key,
    strip_ansi,
    tiny_png,
    ts_bytes,
    ts_string,
)

ROOT = Path(__file__).resolve().parents[2]
DELIMITER = b"<IDS|MSG>"


# -- fixtures -----------------------------------------------------------------------------
def write_notebook_folder(folder: Path) -> None:
    """A folder as a notebook would sit in: npm packages beside it and a local .ts module."""
    cjs = folder / "node_modules" / "cjs-greeter"
    cjs.mkdir(parents=True)
    (cjs / "package.json").write_text(
        json.dumps({"name": "cjs-greeter", "version": "1.0.0", "main": "index.js", "types": "index.d.ts"})
    )
    (cjs / "index.js").write_text(
        '"use strict";\nexports.greet = (name) => "hello " + name;\nexports.kind = "cjs";\n'
    )
    (cjs / "index.d.ts").write_text(
        "export declare function greet(name: string): string;\nexport declare const kind: \"cjs\";\n"
    )

    # ESM only: "type": "module", an exports map with no "require" condition, and a
    # top-level await, so require() cannot load it even where Node supports require(esm).
    esm = folder / "node_modules" / "esm-tripler"
    esm.mkdir(parents=True)
    (esm / "package.json").write_text(
        json.dumps(
            {
                "name": "esm-tripler",
                "version": "1.0.0",
                "type": "module",
                "exports": {".": {"types": "./index.d.ts", "import": "./index.js"}},
            }
        )
    )
    (esm / "index.js").write_text(
        "const ready = await Promise.resolve(true);\n"
        "export function triple(n) { return n * 3; }\n"
        "export const isReady = ready;\n"
        'export default "esm-default";\n'
    )
    (esm / "index.d.ts").write_text(
        "export declare function triple(n: number): number;\n"
        "export declare const isReady: boolean;\n"
        "declare const label: string;\nexport default label;\n"
    )

    (folder / "helper.ts").write_text(
        "export interface Box { value: number }\n"
        "export function double(n: number): number { return n * 2; }\n"
        "export const boxed: Box = { value: 7 };\n"
    )


@pytest.fixture(scope="module")
def workdir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("notebook-folder")
    write_notebook_folder(folder)
    return folder


@pytest.fixture(scope="module")
def kernel(workdir: Path):
    k = RunningKernel(cwd=workdir)
    yield k
    k.close()


@pytest.fixture
def fresh_kernel(workdir: Path):
    k = RunningKernel(cwd=workdir)
    yield k
    k.close()


@pytest.fixture
def marker(tmp_path: Path) -> Path:
    """A file path a cell writes to prove it ran."""
    return tmp_path / f"ran-{uuid.uuid4().hex}.txt"


def write_marker_code(path: Path, text: str = "ran") -> str:
    return f'import {{ writeFileSync }} from "node:fs";\nwriteFileSync({ts_string(str(path))}, {ts_string(text)});'


def execute_content(code: str, **overrides: Any) -> dict[str, Any]:
    content = {
        "code": code,
        "silent": False,
        "store_history": True,
        "user_expressions": {},
        "allow_stdin": False,
        "stop_on_error": True,
    }
    content.update(overrides)
    return content


def wait_iopub(kernel: RunningKernel, predicate: Callable[[dict], bool], timeout: float = 15) -> dict:
    """Reads iopub until a message satisfies `predicate` (also checks what was already seen)."""
    for msg in kernel.iopub_log:
        if predicate(msg):
            return msg
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError("expected iopub message did not arrive")
        try:
            msg = kernel.kc.get_iopub_msg(timeout=remaining)
        except Empty:
            continue
        kernel.iopub_log.append(msg)
        if predicate(msg):
            return msg


def wait_started(kernel: RunningKernel, msg_id: str, timeout: float = 30) -> None:
    """Waits for the request's execute_input: the cell has started running."""
    wait_iopub(
        kernel,
        lambda m: m["msg_type"] == "execute_input" and m["parent_header"].get("msg_id") == msg_id,
        timeout,
    )


def is_date(value: Any) -> bool:
    return isinstance(value, dt.datetime) and value.tzinfo is not None


def typescript_version() -> str:
    return json.loads((ROOT / "node_modules" / "typescript" / "package.json").read_text())["version"]


# -- kernel_info ---------------------------------------------------------------------------
def test_kernel_info_reports_ok_status_and_protocol_5_4_or_later(kernel):
    reply = kernel.request("kernel_info_request", {})
    validate_message(reply, "kernel_info_reply", reply["parent_header"]["msg_id"])
    content = reply["content"]
    assert content["status"] == "ok"
    major, minor = (int(p) for p in content["protocol_version"].split(".")[:2])
    assert (major, minor) >= (5, 4), content["protocol_version"]
    assert content["implementation"] == "tsgpu"
    assert content["implementation_version"]
    assert isinstance(content["banner"], str) and content["banner"]


def test_kernel_info_language_info_names_typescript_and_the_real_compiler_version(kernel):
    info = kernel.request("kernel_info_request", {})["content"]["language_info"]
    assert info["name"] == "typescript"
    assert info["file_extension"] == ".ts"
    assert info["mimetype"] == "text/typescript"
    assert info["version"] == typescript_version()
    assert info["pygments_lexer"] == "typescript"


def test_kernel_info_has_help_links(kernel):
    links = kernel.request("kernel_info_request", {})["content"]["help_links"]
    assert isinstance(links, list) and links
    for link in links:
        assert link["text"] and link["url"].startswith("https://")


def test_every_message_header_has_a_date(kernel):
    info = kernel.request("kernel_info_request", {})
    run = kernel.execute('console.log("dated"); display.html("<i>d</i>"); 1 + 1')
    messages = [info, run.reply, *run.outputs]
    assert {m["msg_type"] for m in run.outputs} >= {"stream", "display_data", "execute_result"}
    for msg in messages + kernel.iopub_log[-5:]:
        assert is_date(msg["header"].get("date")), f"{msg['msg_type']} header has no date: {msg['header']}"


def test_replies_and_outputs_match_the_message_schemas(kernel):
    run = kernel.execute('console.log("schema"); 40 + 2')
    validate_message(run.reply, "execute_reply", run.msg_id)
    for msg in run.outputs:
        validate_message(msg, msg["msg_type"], run.msg_id)


# -- signatures (raw frames) ------------------------------------------------------------------
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


# -- iopub subscription (protocol 5.5) ------------------------------------------------------
def test_iopub_welcome_arrives_signed_on_subscribe():
    km = KernelManager(kernel_name="tsgpu")
    km.start_kernel()
    try:
        info = km.get_connection_info()
        sub = raw_socket(info, "iopub", zmq.SUB)
        sub.setsockopt(zmq.SUBSCRIBE, b"")
        session = km.session
        deadline = time.monotonic() + 30
        welcome = None
        while welcome is None and time.monotonic() < deadline:
            frames = recv_within(sub, deadline - time.monotonic())
            if frames is None:
                break
            msg = session.deserialize(frames[frames.index(DELIMITER) + 1 :])  # checks the signature
            if msg["msg_type"] == "iopub_welcome":
                welcome = msg
        sub.close()
        assert welcome is not None, "no iopub_welcome after subscribing to iopub"
        assert welcome["content"] == {"subscription": ""}
        assert is_date(welcome["header"]["date"])
    finally:
        km.shutdown_kernel(now=True)


def test_first_output_after_the_welcome_is_not_lost():
    k = RunningKernel(wait=False)
    try:
        wait_iopub(k, lambda m: m["msg_type"] == "iopub_welcome", timeout=30)
        run = k.execute('console.log("first words")')
        assert run.status == "ok"
        assert "first words" in run.stream_text("stdout")
    finally:
        k.close()


# -- execute ------------------------------------------------------------------------------------
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


# -- outputs ------------------------------------------------------------------------------------
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


# -- errors ---------------------------------------------------------------------------------------
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


# -- declarations and await ------------------------------------------------------------------------
def test_const_let_class_and_function_can_be_redeclared_in_later_cells(kernel):
    declare = "const rd = {value};\nlet rl = {value};\nclass RC {{ v = {value}; }}\nfunction rf() {{ return {value}; }}"
    assert kernel.execute(declare.format(value=1)).status == "ok"
    again = kernel.execute(declare.format(value=10))
    assert again.status == "ok", again.all_text()
    assert kernel.value("rd + rl + new RC().v + rf()") == "40"
    # The same cell run twice (re-running a notebook cell).
    assert kernel.execute(declare.format(value=10)).status == "ok"


def test_a_redeclared_const_takes_its_new_type(kernel):
    assert kernel.execute("const retyped = 5;").status == "ok"
    assert kernel.value('const retyped = "five";\nretyped.length') == "4"


def test_top_level_await_gives_the_value_and_keeps_bindings(kernel):
    assert kernel.value("const awaited = await new Promise<number>((r) => setTimeout(() => r(21), 10));\nawaited * 2") == "42"
    assert kernel.value("awaited") == "21"


def test_a_rejected_top_level_await_fails_the_cell(kernel):
    run = kernel.execute('await Promise.reject(new TypeError("rejected here"))')
    assert run.status == "error"
    assert (run.error()["ename"], run.error()["evalue"]) == ("TypeError", "rejected here")


# -- imports ---------------------------------------------------------------------------------------
def test_imports_a_node_builtin(kernel):
    assert kernel.value('import { basename } from "node:path";\nbasename("/a/b/c.txt")') == "'c.txt'"


def test_imports_a_commonjs_package_from_node_modules_beside_the_notebook(kernel):
    assert kernel.value('import { greet, kind } from "cjs-greeter";\n[greet("ada"), kind]') == "[ 'hello ada', 'cjs' ]"


def test_imports_an_esm_only_package(kernel):
    assert kernel.value('import label, { triple, isReady } from "esm-tripler";\n[triple(2), isReady, label]') == "[ 6, true, 'esm-default' ]"


def test_importing_a_missing_package_names_it_and_the_kernel_goes_on(kernel):
    run = kernel.execute('import nothing from "no-such-package-xyz";\nnothing')
    assert run.status == "error"
    assert "no-such-package-xyz" in run.all_text()
    assert kernel.value("1") == "1"


def test_package_type_declarations_are_used_for_checking(kernel):
    run = kernel.execute('import { greet } from "cjs-greeter";\nconst wrong: number = greet("x");')
    assert run.status == "error"
    assert run.error()["ename"] == "TSError"
    assert "TS2322" in run.error()["evalue"]


@pytest.mark.parametrize("specifier", ["./helper", "./helper.ts"])
def test_imports_a_relative_ts_file(kernel, specifier):
    code = f'import {{ double, boxed, type Box }} from "{specifier}";\nconst b: Box = boxed;\ndouble(b.value)'
    assert kernel.value(code) == "14"


def test_packages_resolve_from_node_modules_up_the_tree(workdir):
    nested = workdir / "notebooks" / "deeper"
    nested.mkdir(parents=True, exist_ok=True)
    k = RunningKernel(cwd=nested)
    try:
        assert k.value('import { greet } from "cjs-greeter";\ngreet("up")') == "'hello up'"
        assert k.value('import { triple } from "esm-tripler";\ntriple(3)') == "9"
    finally:
        k.close()


def test_without_a_tsconfig_es2022_node_and_dom_types_are_known(kernel):
    code = (
        "const last: number | undefined = [1, 2, 3].at(-1);\n"  # ES2022
        'const own: boolean = Object.hasOwn({ a: 1 }, "a");\n'  # ES2022
        "const version: string = process.version;\n"  # Node types
        "const maybe: Response | undefined = undefined;\n"  # DOM lib
        "[last, own, typeof fetch, typeof setTimeout, version.startsWith('v'), maybe]"
    )
    assert kernel.value(code) == "[ 3, true, 'function', 'function', true, undefined ]"


def test_import_equals_require(kernel):
    assert kernel.value('import os = require("node:os");\ntypeof os.cpus().length') == "'number'"
    assert kernel.value('import greeter = require("cjs-greeter");\ngreeter.greet("b")') == "'hello b'"


def test_a_tsconfig_beside_the_notebook_is_respected(tmp_path):
    implicit_any = "function identity(value) { return value; }\nidentity(5)"
    strict_default = RunningKernel(cwd=tmp_path)
    try:
        run = strict_default.execute(implicit_any)
        assert run.status == "error" and "TS7006" in run.error()["evalue"], "the default is not strict"
    finally:
        strict_default.close()
    (tmp_path / "tsconfig.json").write_text(json.dumps({"compilerOptions": {"strict": False}}))
    relaxed = RunningKernel(cwd=tmp_path)
    try:
        assert relaxed.value(implicit_any) == "5"
    finally:
        relaxed.close()


# -- complete, inspect, is_complete ----------------------------------------------------------------
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


# -- history --------------------------------------------------------------------------------------
def test_history_keeps_stored_cells_and_skips_silent_and_unstored_ones(kernel):
    tag = uuid.uuid4().hex[:8]
    kernel.execute(f'"stored {tag}"')
    kernel.execute(f'"unstored {tag}"', store_history=False)
    kernel.execute(f'"silent {tag}"', silent=True)
    reply = kernel.request("history_request", {"output": False, "raw": True, "hist_access_type": "search", "pattern": f"*{tag}*"})
    inputs = [entry[2] for entry in reply["content"]["history"]]
    assert inputs == [f'"stored {tag}"']


def test_history_tail_with_output_pairs_input_and_result(kernel):
    kernel.execute("100 + 23")
    reply = kernel.request("history_request", {"output": True, "raw": True, "hist_access_type": "tail", "n": 1})
    (session, line, (source, output)), = reply["content"]["history"]
    assert source == "100 + 23"
    assert output == "123"


# -- comms ----------------------------------------------------------------------------------------
def comm_iopub(kernel: RunningKernel, msg_type: str, comm_id: str, timeout: float = 15) -> dict:
    return wait_iopub(
        kernel,
        lambda m: m["msg_type"] == msg_type and m["content"].get("comm_id") == comm_id,
        timeout,
    )


def test_comm_info_lists_comms_filtered_by_target_name(kernel):
    kernel.execute('comms.registerTarget("info-target", () => {});')
    comm_id = uuid.uuid4().hex
    kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "info-target", "data": {}})
    reply = kernel.request("comm_info_request", {"target_name": "info-target"})
    assert reply["content"]["status"] == "ok"
    assert reply["content"]["comms"].get(comm_id) == {"target_name": "info-target"}
    other = kernel.request("comm_info_request", {"target_name": "no-such-target"})
    assert comm_id not in other["content"]["comms"]
    everything = kernel.request("comm_info_request", {})
    assert comm_id in everything["content"]["comms"]


def test_a_front_end_opens_a_comm_to_a_target_registered_by_a_cell(kernel):
    setup = kernel.execute(
        "const echoLog: unknown[] = [];\n"
        'comms.registerTarget("echo", (comm, data) => {\n'
        "  echoLog.push(data);\n"
        "  comm.onMessage((payload) => comm.send({ echo: payload }));\n"
        '  comm.onClose(() => echoLog.push("closed"));\n'
        "});"
    )
    assert setup.status == "ok", setup.all_text()
    comm_id = uuid.uuid4().hex
    kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "echo", "data": {"hello": 1}})
    kernel.send_shell("comm_msg", {"comm_id": comm_id, "data": {"n": 2}})
    answer = comm_iopub(kernel, "comm_msg", comm_id)
    assert answer["content"]["data"] == {"echo": {"n": 2}}
    kernel.send_shell("comm_close", {"comm_id": comm_id, "data": {}})
    kernel.wait_for("echoLog.length === 2")
    assert kernel.value("JSON.stringify(echoLog)") == "'[{\"hello\":1},\"closed\"]'"


def test_a_comm_open_for_an_unknown_target_is_closed_back(kernel):
    comm_id = uuid.uuid4().hex
    kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "nobody-listens", "data": {}})
    comm_iopub(kernel, "comm_close", comm_id)


def test_a_cell_opens_a_comm_to_the_front_end_and_both_sides_talk(kernel):
    run = kernel.execute(
        "const received: unknown[] = [];\n"
        'const toClient = comms.open("client-target", { greeting: "hi" });\n'
        "toClient.onMessage((data) => received.push(data));\n"
        'toClient.send({ step: 1 });\n'
        "toClient.id"
    )
    assert run.status == "ok", run.all_text()
    comm_id = run.result_text().strip("'")
    opened = comm_iopub(kernel, "comm_open", comm_id)
    assert opened["content"]["target_name"] == "client-target"
    assert opened["content"]["data"] == {"greeting": "hi"}
    assert comm_iopub(kernel, "comm_msg", comm_id)["content"]["data"] == {"step": 1}
    kernel.send_shell("comm_msg", {"comm_id": comm_id, "data": {"reply": 2}})
    kernel.wait_for("received.length === 1")
    assert kernel.value("JSON.stringify(received)") == "'[{\"reply\":2}]'"
    kernel.execute('toClient.close({ bye: true });')
    assert comm_iopub(kernel, "comm_close", comm_id)["content"]["data"] == {"bye": True}


def test_the_device_comm_target_is_registered(kernel):
    comm_id = uuid.uuid4().hex
    kernel.send_shell("comm_open", {"comm_id": comm_id, "target_name": "tsgpu.device", "data": {}})
    reply = kernel.request("comm_info_request", {"target_name": "tsgpu.device"})
    assert comm_id in reply["content"]["comms"], "tsgpu.device did not accept a comm"
    kernel.send_shell("comm_close", {"comm_id": comm_id, "data": {}})


# -- stdin ----------------------------------------------------------------------------------------
def test_prompt_asks_the_front_end_with_input_request(kernel):
    run = kernel.execute('const name = prompt("Your name?");\nString(name).toUpperCase()', stdin=lambda req: "ada")
    assert run.status == "ok", run.all_text()
    assert len(run.stdin_requests) == 1
    request = run.stdin_requests[0]["content"]
    assert request["prompt"] == "Your name?"
    assert request["password"] is False
    assert run.result_text() == "'ADA'"


def test_prompt_is_typed_as_returning_a_string(kernel):
    # The contract: prompt(message) returns string (the DOM lib's `string | null` would
    # force a non-null assertion on every use in a notebook).
    run = kernel.execute('const typedAnswer = prompt("Anything?");\ntypedAnswer.length', stdin=lambda req: "abc")
    assert run.status == "ok", run.all_text()
    assert run.result_text() == "3"


def test_prompt_async_can_ask_for_a_password(kernel):
    run = kernel.execute('(await promptAsync("Token?", { password: true })).length', stdin=lambda req: "s3cret")
    assert run.status == "ok", run.all_text()
    assert run.stdin_requests[0]["content"]["password"] is True
    assert run.result_text() == "6"


def test_prompt_fails_the_cell_when_the_front_end_has_no_stdin(kernel):
    run = kernel.execute('prompt("anyone?")', allow_stdin=False)
    assert run.status == "error"
    with pytest.raises(Empty):
        kernel.kc.get_stdin_msg(timeout=0.5)


# -- interrupt ------------------------------------------------------------------------------------
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


# -- lifecycle --------------------------------------------------------------------------------------
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


# -- bad input ----------------------------------------------------------------------------------------
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
