/**
 * The debugger's DAP <-> CDP translation without sockets or a child process:
 * a fake inspector records the CDP commands and answers them from a script.
 */
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { rewriteCell } from "../../../kernel/compiler/cell_rewrite";
import type { CellScript, Inspector, InspectorListener } from "../../../kernel/executor/inspector_connection";
import { CellLines } from "../../../kernel/protocol/debugger/cell_lines";
import { DebugAdapter, HASH_SEED, type DapEvent, type DapResponse } from "../../../kernel/protocol/debugger/debug_adapter";
import { murmur2 } from "../../../kernel/protocol/debugger/murmur2";

const folder = mkdtempSync(path.join(os.tmpdir(), "tsgpu-debug-"));
after(() => rmSync(folder, { recursive: true, force: true }));

type Answer = (params: Record<string, unknown>) => unknown;

class FakeInspector implements Inspector {
  generation = 1;
  attached = false;
  listener!: InspectorListener;
  readonly posted: { method: string; params: Record<string, unknown> }[] = [];
  readonly answers = new Map<string, Answer>();

  async attach(): Promise<void> {
    this.attached = true;
  }

  async post<T>(method: string, params: object = {}): Promise<T> {
    this.posted.push({ method, params: params as Record<string, unknown> });
    const answer = this.answers.get(method);
    if (answer) return answer(params as Record<string, unknown>) as T;
    if (method === "Debugger.setBreakpointByUrl") return { breakpointId: `bp${this.posted.length}`, locations: [] } as T;
    if (method === "Runtime.evaluate") return { result: { type: "object", value: ["process", "console"] } } as T;
    return {} as T;
  }

  listen(listener: InspectorListener): void {
    this.listener = listener;
  }

  methods(): string[] {
    return this.posted.map((p) => p.method);
  }
}

function setup() {
  const inspector = new FakeInspector();
  const events: DapEvent[] = [];
  const adapter = new DebugAdapter(inspector, (event) => events.push(event), path.join(folder, `kernel_${Math.random()}`));
  let seq = 1;
  const request = (command: string, args: Record<string, unknown> = {}): Promise<DapResponse> => adapter.handle({ seq: seq++, type: "request", command, arguments: args });
  const ok = async (command: string, args: Record<string, unknown> = {}) => {
    const response = await request(command, args);
    assert.equal(response.success, true, `${command}: ${response.message}`);
    return response.body ?? {};
  };
  return { inspector, events, adapter, request, ok };
}

const CELL = ["interface Point {", "  x: number;", "}", "// a comment", "function norm(p: Point): number {", "  const squared = p.x * p.x;", "  return Math.sqrt(squared);", "}", "const n = norm({ x: 3 });"].join("\n");

function cellScript(cellNumber: number, code = CELL): CellScript {
  const script = rewriteCell(code, `cell[${cellNumber}].ts`);
  return { cellNumber, code, body: script.body, sourceMap: script.sourceMap };
}

test("murmur2 names cells as ipykernel and JupyterLab do (UTF-8 bytes, decimal)", () => {
  // Values from ipykernel.compiler.murmur2_x86 with the same seed.
  const expected: [string, number][] = [["", 3990065800], ["a", 2167009006], ["abc", 3350977461], ["abcd", 804720481], ["1 + 1", 2359671083], ['const café = "ü✓";\n', 4128035445], ["x".repeat(37), 3546143642]];
  for (const [text, hash] of expected) assert.equal(murmur2(text, HASH_SEED), hash, JSON.stringify(text));
});

test("cell lines map through the source map both ways, across erased type declarations", () => {
  const script = cellScript(1);
  const lines = new CellLines(script.body, script.sourceMap);
  for (const cellLine of [5, 6, 7, 9]) {
    const generated = lines.generatedLine(cellLine);
    assert.notEqual(generated, undefined, `line ${cellLine} has code`);
    assert.equal(lines.cellLine(generated!), cellLine);
  }
  // A breakpoint on the erased interface slides down past it (comments stay in the output,
  // where V8 itself moves a breakpoint on to the next statement).
  assert.ok([4, 5].includes(lines.cellLine(lines.generatedLine(1)!)));
  assert.ok([4, 5].includes(lines.cellLine(lines.generatedLine(4)!)));
  assert.equal(lines.generatedLine(99), undefined);
});

test("dumpCell writes the cell under its murmur2 path, readable only by the user", async () => {
  const { adapter, ok } = setup();
  const { sourcePath } = (await ok("dumpCell", { code: CELL })) as { sourcePath: string };
  assert.equal(sourcePath, adapter.cellPath(CELL));
  assert.ok(sourcePath.endsWith(`${murmur2(CELL, HASH_SEED)}.ts`));
  assert.equal(readFileSync(sourcePath, "utf8"), CELL);
  const info = await ok("debugInfo");
  assert.equal(info.hashMethod, "Murmur2");
  assert.equal(sourcePath, `${info.tmpFilePrefix}${murmur2(CELL, info.hashSeed as number)}${info.tmpFileSuffix}`);
});

test("breakpoints set before a cell runs are placed in its script, at the generated line", async () => {
  const { inspector, adapter, ok } = setup();
  await ok("initialize");
  await ok("attach");
  assert.deepEqual(inspector.methods().slice(0, 3), ["Debugger.enable", "Debugger.setBlackboxPatterns", "Debugger.setPauseOnExceptions"]);
  const sourcePath = adapter.cellPath(CELL);
  const placed = await ok("setBreakpoints", { source: { path: sourcePath }, breakpoints: [{ line: 6 }, { line: 7, condition: "squared > 1" }] });
  assert.deepEqual((placed.breakpoints as { line: number }[]).map((b) => b.line), [6, 7]);
  assert.equal(inspector.methods().filter((m) => m === "Debugger.setBreakpointByUrl").length, 0, "no script yet");

  const script = cellScript(4);
  await inspector.listener.beforeRun(script);
  const lines = new CellLines(script.body, script.sourceMap);
  const byUrl = inspector.posted.filter((p) => p.method === "Debugger.setBreakpointByUrl").map((p) => p.params);
  assert.deepEqual(byUrl, [
    { url: "cell[4]", lineNumber: lines.generatedLine(6) },
    { url: "cell[4]", lineNumber: lines.generatedLine(7), condition: "squared > 1" },
  ]);
  // Setting them again replaces the old ones.
  await ok("setBreakpoints", { source: { path: sourcePath }, breakpoints: [] });
  assert.equal(inspector.methods().filter((m) => m === "Debugger.removeBreakpoint").length, 2);
});

test("a pause becomes a stopped event; the stack names the cell at its typed line; variables show locals and the notebook's globals", async () => {
  const { inspector, adapter, events, ok, request } = setup();
  await ok("attach");
  const script = cellScript(2);
  await inspector.listener.beforeRun(script);
  const lines = new CellLines(script.body, script.sourceMap);
  inspector.listener.event("Debugger.scriptParsed", { scriptId: "11", url: "cell[2]" });
  inspector.listener.event("Debugger.scriptParsed", { scriptId: "12", url: `file://${path.resolve(__dirname, "../../../kernel/executor/cell_runner.js")}` });
  inspector.listener.event("Debugger.paused", {
    reason: "other",
    hitBreakpoints: ["bp"],
    callFrames: [
      { callFrameId: "f1", functionName: "norm", location: { scriptId: "11", lineNumber: lines.generatedLine(7) }, scopeChain: [{ type: "local", object: { type: "object", objectId: "local1" } }, { type: "global", object: { type: "object", objectId: "global" } }], this: { type: "undefined" } },
      { callFrameId: "f2", functionName: "", location: { scriptId: "11", lineNumber: lines.generatedLine(9) }, scopeChain: [{ type: "local", object: { type: "object", objectId: "local2" } }], this: { type: "undefined" } },
      { callFrameId: "f3", functionName: "", location: { scriptId: "11", lineNumber: lines.length + 1 }, scopeChain: [], this: { type: "undefined" } },
      { callFrameId: "f4", functionName: "evaluate", location: { scriptId: "12", lineNumber: 40 }, scopeChain: [], this: { type: "undefined" } },
    ],
  });
  assert.deepEqual(events.at(-1)!.body, { reason: "breakpoint", threadId: 1, allThreadsStopped: true });
  assert.equal(adapter.isPaused, true);

  const { stackFrames } = (await ok("stackTrace", { threadId: 1 })) as { stackFrames: { id: number; name: string; line: number; source: { path: string } }[] };
  assert.deepEqual(stackFrames.map((f) => [f.name, f.line, f.source.path]), [
    ["norm (cell[2])", 7, adapter.cellPath(CELL)],
    ["cell[2]", 9, adapter.cellPath(CELL)],
  ]);

  inspector.answers.set("Runtime.getProperties", (params) => {
    if (params.objectId === "local1") return { result: [{ name: "squared", value: { type: "number", value: 9, description: "9" } }, { name: "p", value: { type: "object", className: "Object", description: "Object", objectId: "p1" } }] };
    if (params.objectId === "local2") return { result: [{ name: "__tsgpu", value: { type: "object", objectId: "rt" } }, { name: "require", value: { type: "function", objectId: "rq" } }] };
    return {
      result: [
        { name: "process", enumerable: true, value: { type: "object", className: "process", objectId: "pr" } },
        { name: "n", enumerable: true, value: { type: "undefined" } },
        { name: "label", enumerable: true, value: { type: "string", value: "a\"b" } },
        { name: "display", enumerable: false, value: { type: "function", objectId: "d" } },
        { name: "weights", enumerable: true, value: { type: "object", className: "Tensor", description: "Tensor", objectId: "t1" } },
      ],
    };
  });
  inspector.answers.set("Runtime.callFunctionOn", () => ({ result: { type: "string", value: "Tensor float32[2, 3] on cpu" } }));
  const { scopes } = (await ok("scopes", { frameId: stackFrames[0]!.id })) as { scopes: { name: string; variablesReference: number }[] };
  assert.deepEqual(scopes.map((s) => s.name), ["Locals", "Globals"]);
  const locals = (await ok("variables", { variablesReference: scopes[0]!.variablesReference })).variables as { name: string; value: string; variablesReference: number }[];
  assert.deepEqual(locals.map((v) => [v.name, v.value, v.variablesReference > 0]), [["squared", "9", false], ["p", "Object", true]]);
  const globals = (await ok("variables", { variablesReference: scopes[1]!.variablesReference })).variables as { name: string; value: string }[];
  assert.deepEqual(globals.map((v) => [v.name, v.value]), [["n", "undefined"], ["label", '"a\\"b"'], ["weights", "Tensor float32[2, 3] on cpu"]]);
  // The cell's own top-level frame hides the wrapper's parameters.
  const top = (await ok("scopes", { frameId: stackFrames[1]!.id })) as { scopes: { variablesReference: number }[] };
  assert.deepEqual((await ok("variables", { variablesReference: top.scopes[0]!.variablesReference })).variables, []);

  await ok("continue", { threadId: 1 });
  inspector.listener.event("Debugger.resumed", {});
  assert.equal(events.at(-1)!.event, "continued");
  assert.equal(adapter.isPaused, false);
  const stale = await request("variables", { variablesReference: scopes[0]!.variablesReference });
  assert.equal(stale.success, false);
});

test("a pause outside the cells steps on to the next cell statement; a library's exception is skipped", async () => {
  const { inspector, events, ok } = setup();
  await ok("attach");
  inspector.listener.event("Debugger.scriptParsed", { scriptId: "5", url: "node:internal/timers" });
  const frame = { callFrameId: "f", functionName: "listOnTimeout", location: { scriptId: "5", lineNumber: 3 }, scopeChain: [], this: { type: "undefined" } };
  await ok("pause", { threadId: 1 });
  inspector.listener.event("Debugger.paused", { reason: "other", callFrames: [frame] });
  inspector.listener.event("Debugger.paused", { reason: "exception", callFrames: [frame] });
  assert.deepEqual(inspector.methods().slice(-3), ["Debugger.pause", "Debugger.stepInto", "Debugger.resume"]);
  assert.equal(events.filter((e) => e.event === "stopped").length, 0);
});

test("exception filters map to V8's pause-on-exceptions states", async () => {
  const { inspector, ok } = setup();
  await ok("attach");
  for (const [filters, state] of [[["raised"], "all"], [["uncaught"], "uncaught"], [[], "none"], [["raised", "uncaught"], "all"]] as const) {
    await ok("setExceptionBreakpoints", { filters });
    assert.deepEqual(inspector.posted.at(-1), { method: "Debugger.setPauseOnExceptions", params: { state } });
  }
});

test("an interrupt while paused resumes with pauses skipped until the next cell", async () => {
  const { inspector, adapter, ok } = setup();
  await ok("attach");
  await inspector.listener.beforeRun(cellScript(1));
  inspector.listener.event("Debugger.scriptParsed", { scriptId: "1", url: "cell[1]" });
  inspector.listener.event("Debugger.paused", { reason: "other", hitBreakpoints: ["b"], callFrames: [{ callFrameId: "f", functionName: "", location: { scriptId: "1", lineNumber: 0 }, scopeChain: [], this: { type: "undefined" } }] });
  await adapter.releaseForInterrupt();
  assert.deepEqual(inspector.posted.slice(-2), [{ method: "Debugger.setSkipAllPauses", params: { skip: true } }, { method: "Debugger.resume", params: {} }]);
  await inspector.listener.beforeRun(cellScript(2));
  assert.ok(inspector.posted.some((p) => p.method === "Debugger.setSkipAllPauses" && p.params.skip === false));
});

test("requests fail with a reason: unknown commands, inspecting while running, stepping before attach", async () => {
  const { request } = setup();
  const unknown = await request("restartFrame");
  assert.equal(unknown.success, false);
  assert.match(unknown.message!, /does not support "restartFrame"/);
  assert.match((await request("stackTrace", { threadId: 1 })).message!, /not stopped/);
  assert.match((await request("next", { threadId: 1 })).message!, /attach first/);
});

test("disconnect removes the breakpoints and disables the debugger", async () => {
  const { inspector, adapter, ok } = setup();
  await ok("attach");
  await inspector.listener.beforeRun(cellScript(1));
  await ok("setBreakpoints", { source: { path: adapter.cellPath(CELL) }, breakpoints: [{ line: 6 }] });
  await ok("disconnect", { restart: false, terminateDebuggee: false });
  assert.deepEqual(inspector.methods().slice(-2), ["Debugger.removeBreakpoint", "Debugger.disable"]);
  const info = await ok("debugInfo");
  assert.equal(info.isStarted, false);
  assert.deepEqual(info.breakpoints, []);
});
