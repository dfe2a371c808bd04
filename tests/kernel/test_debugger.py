"""The Jupyter debug protocol (JupyterLab's visual debugger) on TypeScript cells: breakpoints, steps, variables, exceptions, pause, interrupt and control while paused, a model.fit callback."""
from __future__ import annotations

import itertools
import time
from typing import Any

import zmq
from ipykernel.compiler import murmur2_x86

from harness import raw_socket, recv_within, wait_iopub

_seq = itertools.count(1)


def debug(k, command: str, arguments: dict[str, Any] | None = None, timeout: float = 30) -> dict[str, Any]:
    """Sends a DAP request as debug_request on control; returns the DAP response."""
    request = {"type": "request", "seq": next(_seq), "command": command, "arguments": arguments or {}}
    msg_id = k.send_control("debug_request", request)
    reply = k.control_reply(msg_id, timeout=timeout)
    assert reply["msg_type"] == "debug_reply"
    response = reply["content"]
    assert response["request_seq"] == request["seq"] and response["command"] == command
    return response


def ok(k, command: str, arguments: dict[str, Any] | None = None) -> dict[str, Any]:
    response = debug(k, command, arguments)
    assert response["success"], response
    return response.get("body", {})


def next_event(k, event: str, timeout: float = 30) -> dict[str, Any]:
    """The next debug_event of this kind not seen before (each is consumed once)."""
    seen = k.__dict__.setdefault("_consumed_events", set())

    def match(m):
        return m["msg_type"] == "debug_event" and m["content"]["event"] == event and m["header"]["msg_id"] not in seen

    msg = wait_iopub(k, match, timeout)
    seen.add(msg["header"]["msg_id"])
    return msg["content"]["body"]


def start_debugger(k) -> dict[str, Any]:
    body = ok(k, "initialize", {"clientID": "test", "adapterID": "tsgpu", "pathFormat": "path", "linesStartAt1": True, "columnsStartAt1": True})
    ok(k, "attach")
    ok(k, "configurationDone")
    return body


def variables_of(k, frame_id: int) -> dict[str, dict[str, dict[str, Any]]]:
    """name of scope -> variable name -> variable."""
    scopes = ok(k, "scopes", {"frameId": frame_id})["scopes"]
    return {scope["name"]: {v["name"]: v for v in ok(k, "variables", {"variablesReference": scope["variablesReference"]})["variables"]} for scope in scopes}


ADD_CELL = """interface Pair {
  a: number;
  b: number;
}
const base: number = 41;
function add(pair: Pair): number {
  const sum = pair.a + pair.b;
  return sum;
}
const total = add({ a: base, b: 1 });
console.log(`total ${total}`);"""


def test_kernel_info_announces_the_debugger(kernel):
    reply = kernel.request("kernel_info_request", {})
    assert reply["content"]["debugger"] is True
    assert "debugger" in reply["content"]["supported_features"]


def test_initialize_attach_and_debug_info(fresh_kernel):
    k = fresh_kernel
    capabilities = start_debugger(k)
    assert {f["filter"] for f in capabilities["exceptionBreakpointFilters"]} == {"raised", "uncaught"}
    info = ok(k, "debugInfo")
    assert info["isStarted"] is True
    assert info["hashMethod"] == "Murmur2"
    assert info["tmpFileSuffix"] == ".ts"
    assert info["stoppedThreads"] == []
    assert info["richRendering"] is True


def test_dump_cell_names_the_cell_by_murmur2_of_its_code(kernel):
    info = ok(kernel, "debugInfo")
    for code in ["1 + 1", ADD_CELL, "const café = \"ünïcode ✓\";\n"]:
        path = ok(kernel, "dumpCell", {"code": code})["sourcePath"]
        expected = f"{info['tmpFilePrefix']}{murmur2_x86(code, info['hashSeed'])}{info['tmpFileSuffix']}"
        assert path == expected
        with open(path, encoding="utf-8") as f:
            assert f.read() == code


def test_a_breakpoint_stops_in_the_cell_with_its_lines_locals_and_globals(fresh_kernel):
    k = fresh_kernel
    start_debugger(k)
    path = ok(k, "dumpCell", {"code": ADD_CELL})["sourcePath"]
    placed = ok(k, "setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": 8}, {"line": 10}]})
    assert [b["line"] for b in placed["breakpoints"]] == [8, 10]
    cell = k.kc.execute(ADD_CELL)

    # Line 10: the call, at the cell's top level.
    assert next_event(k, "stopped")["reason"] == "breakpoint"
    assert ok(k, "debugInfo")["stoppedThreads"] == [1]
    frames = ok(k, "stackTrace", {"threadId": 1})["stackFrames"]
    assert frames[0]["line"] == 10 and frames[0]["source"]["path"] == path
    assert frames[0]["name"].startswith("cell[")
    # stepIn: into add(), its first line.
    ok(k, "stepIn", {"threadId": 1})
    assert next_event(k, "stopped")["reason"] == "step"
    top = ok(k, "stackTrace", {"threadId": 1})["stackFrames"][0]
    assert (top["line"], top["source"]["path"]) == (7, path) and "add" in top["name"]
    # next: line 8 (which also has a breakpoint: V8 reports that one).
    ok(k, "next", {"threadId": 1})
    assert next_event(k, "stopped")["reason"] in ("step", "breakpoint")
    frames = ok(k, "stackTrace", {"threadId": 1})["stackFrames"]
    assert frames[0]["line"] == 8
    assert [f["line"] for f in frames[:2]] == [8, 10]
    scopes = variables_of(k, frames[0]["id"])
    assert scopes["Locals"]["sum"]["value"] == "42"
    assert scopes["Locals"]["pair"]["variablesReference"] > 0
    pair = {v["name"]: v["value"] for v in ok(k, "variables", {"variablesReference": scopes["Locals"]["pair"]["variablesReference"]})["variables"]}
    assert pair == {"a": "41", "b": "1"}
    assert scopes["Globals"]["base"]["value"] == "41"
    assert "process" not in scopes["Globals"] and "console" not in scopes["Globals"]
    assert ok(k, "evaluate", {"expression": "sum * 2", "frameId": frames[0]["id"], "context": "watch"})["result"] == "84"
    assert ok(k, "richInspectVariables", {"variableName": "sum", "frameId": frames[0]["id"]})["data"]["text/plain"] == "42"
    # continue: the breakpoint at line 8 is where we are; the cell ends.
    ok(k, "continue", {"threadId": 1})
    next_event(k, "continued")
    reply = k.shell_reply(cell, timeout=30)
    assert reply["content"]["status"] == "ok"
    assert "total 42" in "".join(m["content"].get("text", "") for m in k.iopub_until_idle(cell, busy_already_seen=True) if m["msg_type"] == "stream") + _stream_so_far(k, cell)
    names = {v["name"]: v["value"] for v in ok(k, "inspectVariables")["variables"]}
    assert names["total"] == "42" and names["base"] == "41"


def _stream_so_far(k, msg_id: str) -> str:
    return "".join(m["content"]["text"] for m in k.iopub_log if m["msg_type"] == "stream" and m["parent_header"].get("msg_id") == msg_id)


def test_an_exception_breakpoint_stops_where_the_cell_throws(fresh_kernel):
    k = fresh_kernel
    start_debugger(k)
    ok(k, "setExceptionBreakpoints", {"filters": ["raised"]})
    code = 'function explode(limit: number): never {\n  throw new RangeError(`over ${limit}`);\n}\nexplode(3);'
    cell = k.kc.execute(code)
    stopped = next_event(k, "stopped")
    assert stopped["reason"] == "exception"
    assert "over 3" in stopped.get("text", "")
    top = ok(k, "stackTrace", {"threadId": 1})["stackFrames"][0]
    assert top["line"] == 2 and "explode" in top["name"]
    ok(k, "continue", {"threadId": 1})
    assert k.shell_reply(cell, timeout=30)["content"]["ename"] == "RangeError"


def test_pause_stops_a_busy_loop_and_control_heartbeat_and_interrupt_work_while_paused(fresh_kernel):
    k = fresh_kernel
    start_debugger(k)
    cell = k.kc.execute("let spins = 0;\nwhile (true) {\n  spins++;\n}")
    wait_iopub(k, lambda m: m["msg_type"] == "execute_input" and m["parent_header"].get("msg_id") == cell)
    time.sleep(1)  # let the loop spin (a pause that lands earlier stops at line 1, which is fine too)
    ok(k, "pause", {"threadId": 1})
    assert next_event(k, "stopped")["reason"] == "pause"
    top = ok(k, "stackTrace", {"threadId": 1})["stackFrames"][0]
    assert top["line"] in (1, 2, 3) and top["name"].startswith("cell[")
    # The kernel process answers while the cells' process is stopped.
    info = k.control_reply(k.send_control("kernel_info_request", {}), timeout=10)
    assert info["content"]["status"] == "ok"
    hb = raw_socket(k.connection_info(), "hb", zmq.REQ)
    try:
        hb.send(b"paused?")
        assert recv_within(hb, 5) == [b"paused?"]
    finally:
        hb.close()
    # Interrupt: resumes the child, then stops the cell; its globals survive.
    k.send_control("interrupt_request", {})
    reply = k.shell_reply(cell, timeout=30)
    assert reply["content"]["status"] == "error" and reply["content"]["ename"] == "Interrupted"
    next_event(k, "continued")
    assert k.value("spins > 0") == "true"


def test_a_breakpoint_in_a_model_fit_callback_shows_the_epoch_and_logs(fresh_kernel):
    k = fresh_kernel
    start_debugger(k)
    code = """import * as tf from "@tensorflow/tfjs";
await tf.setBackend("cpu");
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
const xs = tf.tensor2d([[0, 1], [1, 0], [1, 1], [0, 0]]);
const ys = tf.tensor2d([[1], [1], [2], [0]]);
const epochsSeen: number[] = [];
await model.fit(xs, ys, { epochs: 2, verbose: 0, callbacks: { onEpochEnd: async (epoch, logs) => {
  epochsSeen.push(epoch);
} } });
console.log(`epochs ${epochsSeen.join(",")}`);"""
    path = ok(k, "dumpCell", {"code": code})["sourcePath"]
    ok(k, "setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": 9}]})
    cell = k.kc.execute(code)
    assert next_event(k, "stopped", timeout=120)["reason"] == "breakpoint"
    frame = ok(k, "stackTrace", {"threadId": 1})["stackFrames"][0]
    assert frame["line"] == 9 and frame["source"]["path"] == path
    scopes = variables_of(k, frame["id"])
    assert scopes["Locals"]["epoch"]["value"] == "0"
    logs = scopes["Locals"]["logs"]
    logged = {v["name"] for v in ok(k, "variables", {"variablesReference": logs["variablesReference"]})["variables"]}
    assert "loss" in logged
    tensor = ok(k, "evaluate", {"expression": "xs", "frameId": frame["id"]})["result"]
    assert "float32" in tensor and "4, 2" in tensor and "cpu" in tensor
    ok(k, "continue", {"threadId": 1})
    assert next_event(k, "stopped", timeout=60)["reason"] == "breakpoint"
    assert variables_of(k, ok(k, "stackTrace", {"threadId": 1})["stackFrames"][0]["id"])["Locals"]["epoch"]["value"] == "1"
    ok(k, "setBreakpoints", {"source": {"path": path}, "breakpoints": []})
    ok(k, "continue", {"threadId": 1})
    assert k.shell_reply(cell, timeout=120)["content"]["status"] == "ok"
    assert "epochs 0,1" in _stream_so_far(k, cell) + "".join(m["content"].get("text", "") for m in k.iopub_until_idle(cell, busy_already_seen=True) if m["msg_type"] == "stream")


def test_breakpoints_survive_a_crashed_cell_process(fresh_kernel):
    # process.exit() ends the cells' process; the kernel starts a fresh one and the debugger attaches to it.
    k = fresh_kernel
    start_debugger(k)
    code = "const doubled = [1, 2].map((x) => x * 2);\nconsole.log(doubled.length);"
    path = ok(k, "dumpCell", {"code": code})["sourcePath"]
    ok(k, "setBreakpoints", {"source": {"path": path}, "breakpoints": [{"line": 2}]})
    assert k.execute("process.exit(3)").status == "error"
    cell = k.kc.execute(code)
    assert next_event(k, "stopped")["reason"] == "breakpoint"
    frames = ok(k, "stackTrace", {"threadId": 1})["stackFrames"]
    assert frames[0]["line"] == 2
    assert variables_of(k, frames[0]["id"])["Globals"]["doubled"]["value"] == "Array(2)"
    ok(k, "continue", {"threadId": 1})
    assert k.shell_reply(cell, timeout=30)["content"]["status"] == "ok"


def test_restart_while_paused_gives_a_fresh_kernel(fresh_kernel):
    k = fresh_kernel
    start_debugger(k)
    code = "const kept = 1;\ndebugger;\nconsole.log(kept);"
    cell = k.kc.execute(code)
    assert next_event(k, "stopped")["reason"] in ("pause", "breakpoint")
    k.km.restart_kernel(now=False)
    k.kc.wait_for_ready(timeout=60)
    assert k.value("\"kept\" in globalThis") == "false"
    assert ok(k, "debugInfo")["isStarted"] is False
    del cell
