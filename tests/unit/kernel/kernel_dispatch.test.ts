/**
 * The kernel's request handlers driven without sockets, worker or child
 * process: a FakeExecutor stands for the execution side.
 */
import assert from "node:assert/strict";
import { test } from "node:test";
import { setImmediate as tick } from "node:timers/promises";
import { Kernel, SESSION } from "../../../kernel/protocol/kernel";
import type { Channel, JsonObject, Message } from "../../../kernel/protocol/messages";
import { Session } from "../../../kernel/protocol/session";
import { FakeExecutor } from "./fake_executor";

interface Sent {
  channel: Channel;
  message: Message;
}

function setup() {
  const executor = new FakeExecutor();
  const sent: Sent[] = [];
  const shutdowns: boolean[] = [];
  const kernel = new Kernel(new Session(), (channel, message) => sent.push({ channel, message }), { executor, onShutdown: (restart) => shutdowns.push(restart) });
  const client = new Session("client");
  /** Sends a request and resolves once the kernel has published idle for it. */
  const request = async (msgType: string, content: JsonObject = {}, channel: "shell" | "control" = "shell") => {
    const message = client.reply(undefined, msgType, content);
    message.identities = [Buffer.from(`client-${msgType}`)];
    kernel.handle(channel, message);
    await until(() => sent.some((s) => isStatus(s, "idle") && s.message.parent_header.msg_id === message.header.msg_id));
    return message;
  };
  /** What the kernel sent caused by `parent`, as "channel:msg_type". */
  const trace = (parent: Message) => sent.filter((s) => s.message.parent_header.msg_id === parent.header.msg_id).map((s) => `${s.channel}:${s.message.header.msg_type}${isStatus(s) ? `(${s.message.content.execution_state})` : ""}`);
  const find = (parent: Message, channel: Channel, msgType: string) => sent.filter((s) => s.channel === channel && s.message.header.msg_type === msgType && s.message.parent_header.msg_id === parent.header.msg_id).map((s) => s.message);
  return { kernel, executor, sent, shutdowns, client, request, trace, find };
}

const isStatus = (s: Sent, state?: string) => s.channel === "iopub" && s.message.header.msg_type === "status" && (state === undefined || s.message.content.execution_state === state);

async function until(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 1000; i++) {
    if (condition()) return;
    await tick();
  }
  throw new Error("the kernel did not get there");
}

test("execute_request publishes busy, execute_input, execute_result, idle and replies ok", async () => {
  const { executor, request, trace, find } = setup();
  executor.scripts.set("1 + 1", () => ({ status: "ok", data: { "text/plain": "2" }, userExpressions: {} }));
  const message = await request("execute_request", { code: "1 + 1" });
  assert.deepEqual(trace(message), ["iopub:status(busy)", "iopub:execute_input", "iopub:execute_result", "shell:execute_reply", "iopub:status(idle)"]);
  const [result] = find(message, "iopub", "execute_result");
  assert.deepEqual(result!.content, { execution_count: 1, data: { "text/plain": "2" }, metadata: {} });
  const [reply] = find(message, "shell", "execute_reply");
  assert.equal(reply!.content.status, "ok");
  assert.equal(reply!.content.execution_count, 1);
  assert.equal(reply!.metadata.status, "ok");
  assert.equal(typeof reply!.metadata.started, "string");
  assert.deepEqual(reply!.identities, message.identities, "the reply is routed to the asker");
});

test("execution_count counts stored cells and names the cell for the executor", async () => {
  const { executor, request, find } = setup();
  await request("execute_request", { code: "a" });
  await request("execute_request", { code: "b" });
  const third = await request("execute_request", { code: "c" });
  assert.deepEqual(executor.executed.map((c) => c.cellNumber), [1, 2, 3]);
  assert.equal(find(third, "shell", "execute_reply")[0]!.content.execution_count, 3);
});

test("silent cells publish no execute_input or result and do not count", async () => {
  const { executor, request, trace, find } = setup();
  executor.scripts.set("x", () => ({ status: "ok", data: { "text/plain": "1" }, userExpressions: {} }));
  await request("execute_request", { code: "x" });
  const silent = await request("execute_request", { code: "x", silent: true });
  assert.deepEqual(trace(silent), ["iopub:status(busy)", "shell:execute_reply", "iopub:status(idle)"]);
  assert.equal(find(silent, "shell", "execute_reply")[0]!.content.execution_count, 1);
});

test("store_history false runs the cell without counting it or keeping it in history", async () => {
  const { request, find } = setup();
  await request("execute_request", { code: "kept" });
  const unstored = await request("execute_request", { code: "not kept", store_history: false });
  assert.equal(find(unstored, "iopub", "execute_input")[0]!.content.execution_count, 1);
  const history = await request("history_request", { hist_access_type: "tail", n: 10, output: false, raw: true });
  assert.deepEqual(find(history, "shell", "history_reply")[0]!.content.history, [[SESSION, 1, "kept"]]);
});

test("an error result publishes error and replies error with the error's fields", async () => {
  const { executor, request, trace, find } = setup();
  const error = { ename: "RangeError", evalue: "too far", traceback: ["RangeError: too far"] };
  executor.scripts.set("fail()", () => ({ status: "error", error, userExpressions: {} }));
  const message = await request("execute_request", { code: "fail()" });
  assert.deepEqual(trace(message), ["iopub:status(busy)", "iopub:execute_input", "iopub:error", "shell:execute_reply", "iopub:status(idle)"]);
  const [reply] = find(message, "shell", "execute_reply");
  assert.deepEqual({ ...reply!.content }, { status: "error", execution_count: 1, ...error, user_expressions: {} });
  assert.equal(reply!.metadata.status, "error");
});

test("type errors become a TSError with line and column", async () => {
  const { executor, request, find } = setup();
  executor.scripts.set("let n: number = 'a'", () => ({
    status: "type_errors",
    diagnostics: [{ category: "error", code: 2322, message: "Type 'string' is not assignable to type 'number'.", line: 0, column: 4, length: 1 }],
  }));
  const message = await request("execute_request", { code: "let n: number = 'a'" });
  const [error] = find(message, "iopub", "error");
  assert.equal(error!.content.ename, "TSError");
  assert.match(String(error!.content.evalue), /^TS2322: .*\(line 1, column 5\)$/);
});

test("a failing cell aborts the execute_requests queued behind it, stop_on_error false does not", async () => {
  const { executor, request, client, kernel, find } = setup();
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  executor.scripts.set("fail", async () => {
    await gate;
    return { status: "error", error: { ename: "Error", evalue: "no", traceback: [] }, userExpressions: {} };
  });
  const first = request("execute_request", { code: "fail" });
  await until(() => executor.executed.length === 1);
  const queued = client.reply(undefined, "execute_request", { code: "after" });
  kernel.handle("shell", queued);
  release();
  await first;
  await until(() => find(queued, "shell", "execute_reply").length === 1);
  const [aborted] = find(queued, "shell", "execute_reply");
  assert.equal(aborted!.content.status, "aborted");
  assert.equal(aborted!.metadata.status, "aborted");
  assert.deepEqual(executor.executed.map((c) => c.code), ["fail"], "the aborted cell never ran");

  let releaseAgain!: () => void;
  const gateAgain = new Promise<void>((resolve) => (releaseAgain = resolve));
  executor.scripts.set("fail softly", async () => {
    await gateAgain;
    return { status: "error", error: { ename: "Error", evalue: "no", traceback: [] }, userExpressions: {} };
  });
  const soft = request("execute_request", { code: "fail softly", stop_on_error: false });
  await until(() => executor.executed.length === 2);
  const next = client.reply(undefined, "execute_request", { code: "runs" });
  kernel.handle("shell", next);
  releaseAgain();
  await soft;
  await until(() => find(next, "shell", "execute_reply").length === 1);
  assert.equal(find(next, "shell", "execute_reply")[0]!.content.status, "ok");
});

test("interrupt_request asks the executor to interrupt and replies on control", async () => {
  const { executor, request, trace } = setup();
  const message = await request("interrupt_request", {}, "control");
  assert.equal(executor.interrupts, 1);
  assert.deepEqual(trace(message), ["iopub:status(busy)", "control:interrupt_reply", "iopub:status(idle)"]);
});

test("an interrupt cancels a pending stdin prompt", async () => {
  const { executor, request, kernel, client, find } = setup();
  let answered: string | null | undefined;
  executor.scripts.set("ask", async (events) => {
    await new Promise<void>((resolve) => events.input("name?", false, (value) => {
      answered = value;
      resolve();
    }));
    return { status: "ok", userExpressions: {} };
  });
  const cell = client.reply(undefined, "execute_request", { code: "ask" });
  kernel.handle("shell", cell);
  await until(() => find(cell, "stdin", "input_request").length === 1);
  await request("interrupt_request", {}, "control");
  await until(() => find(cell, "shell", "execute_reply").length === 1);
  assert.equal(answered, null);
});

test("stdin: input_request goes out on stdin with the cell as parent, the reply comes back", async () => {
  const { executor, kernel, client, find } = setup();
  executor.scripts.set("ask", async (events) => {
    const value = await new Promise<string | null>((resolve) => events.input("password?", true, resolve));
    return { status: "ok", data: { "text/plain": `'${value}'` }, userExpressions: {} };
  });
  const cell = client.reply(undefined, "execute_request", { code: "ask" });
  cell.identities = [Buffer.from("client-stdin")];
  kernel.handle("shell", cell);
  await until(() => find(cell, "stdin", "input_request").length === 1);
  const [inputRequest] = find(cell, "stdin", "input_request");
  assert.deepEqual(inputRequest!.content, { prompt: "password?", password: true });
  assert.deepEqual(inputRequest!.identities, cell.identities);
  kernel.onInputReply(client.reply(inputRequest, "input_reply", { value: "hunter2" }));
  await until(() => find(cell, "shell", "execute_reply").length === 1);
  assert.deepEqual(find(cell, "iopub", "execute_result")[0]!.content.data, { "text/plain": "'hunter2'" });
});

test("streams, displays and comms from the cells reach iopub in order, parented to the cell", async () => {
  const { executor, request, trace, find } = setup();
  executor.scripts.set("show", (events) => {
    events.stream("stdout", "before\n");
    executor.fromCells({ type: "display", data: { "text/plain": "shown" }, metadata: {}, displayId: "d1", update: false });
    executor.fromCells({ type: "comm_msg", commId: "c1", data: { n: 1 }, metadata: {}, buffers: [new Uint8Array([1, 2])] });
    executor.fromCells({ type: "comm_open_rejected", commId: "c2", targetName: "nobody" });
    return { status: "ok", userExpressions: {} };
  });
  const message = await request("execute_request", { code: "show" });
  assert.deepEqual(trace(message), [
    "iopub:status(busy)", "iopub:execute_input", "iopub:stream", "iopub:display_data", "iopub:comm_msg", "iopub:comm_close", "shell:execute_reply", "iopub:status(idle)",
  ]);
  assert.deepEqual(find(message, "iopub", "display_data")[0]!.content.transient, { display_id: "d1" });
  const [commMsg] = find(message, "iopub", "comm_msg");
  assert.deepEqual(commMsg!.content, { comm_id: "c1", data: { n: 1 } });
  assert.deepEqual(commMsg!.buffers, [Buffer.from([1, 2])]);
  assert.match(String((find(message, "iopub", "comm_close")[0]!.content.data as JsonObject).error), /no comm target "nobody"/);
});

test("comm messages from the front end go to the cells at once, comm_info asks the executor", async () => {
  const { executor, kernel, client, request, find } = setup();
  const open = client.reply(undefined, "comm_open", { comm_id: "c1", target_name: "tsgpu.device", data: { a: 1 } });
  kernel.handle("shell", open);
  kernel.handle("shell", client.reply(undefined, "comm_msg", { comm_id: "c1", data: { type: "snapshot_request" } }));
  kernel.handle("shell", client.reply(undefined, "comm_close", { comm_id: "c1" }));
  kernel.handle("shell", client.reply(undefined, "comm_msg", { data: {} }));
  assert.deepEqual(executor.comms.map((c) => `${c.type}:${c.commId}`), ["comm_open:c1", "comm_msg:c1", "comm_close:c1"]);
  assert.deepEqual(executor.comms[0], { type: "comm_open", commId: "c1", targetName: "tsgpu.device", data: { a: 1 } });
  executor.openComms = { c1: { target_name: "tsgpu.device" } };
  const info = await request("comm_info_request", {});
  assert.deepEqual(find(info, "shell", "comm_info_reply")[0]!.content, { status: "ok", comms: { c1: { target_name: "tsgpu.device" } } });
});

test("a restart while idle is reported on stderr; during a cell the cell's error says it", async () => {
  const { executor, request, find } = setup();
  const first = await request("execute_request", { code: "a" });
  executor.events.restarted("The execution process exited with code 1", false);
  const [note] = find(first, "iopub", "stream");
  assert.deepEqual(note!.content, { name: "stderr", text: "[tsgpu] The execution process exited with code 1\n" });
  executor.scripts.set("exit", (events) => {
    events.restarted("gone", true);
    return { status: "error", error: { ename: "ProcessExited", evalue: "gone", traceback: [] }, userExpressions: {} };
  });
  const second = await request("execute_request", { code: "exit" });
  assert.equal(find(second, "iopub", "stream").length, 0);
  assert.equal(find(second, "shell", "execute_reply")[0]!.content.ename, "ProcessExited");
});

test("control: kernel_info, usage, debug and unknown requests are answered on control", async () => {
  const { request, find } = setup();
  const info = await request("kernel_info_request", {}, "control");
  assert.equal(find(info, "control", "kernel_info_reply")[0]!.content.implementation, "tsgpu");
  const usage = await request("usage_request", {}, "control");
  assert.equal(find(usage, "control", "usage_reply").length, 1);
  const debug = await request("debug_request", { command: "initialize" }, "control");
  assert.equal(find(debug, "control", "debug_reply")[0]!.content.success, false);
  const unknown = await request("frobnicate_request", {}, "control");
  const [reply] = find(unknown, "control", "frobnicate_reply");
  assert.equal(reply!.content.ename, "UnknownMessageType");
});

test("a control request that fails is answered with an error on control, not shell", async () => {
  const { executor, request, sent, find } = setup();
  Object.defineProperty(executor, "pid", { get: () => {
    throw new RangeError("no such process");
  } });
  const usage = await request("usage_request", {}, "control");
  const [reply] = find(usage, "control", "usage_reply");
  assert.equal(reply!.content.status, "error");
  assert.equal(reply!.content.ename, "RangeError");
  assert.equal(reply!.content.evalue, "no such process");
  assert.equal(sent.filter((s) => s.channel === "shell").length, 0);
});

test("a shell request that fails is answered with an error on shell", async () => {
  const { executor, request, find } = setup();
  executor.complete = async () => {
    throw new Error("compiler gone");
  };
  const message = await request("complete_request", { code: "x", cursor_pos: 1 });
  const [reply] = find(message, "shell", "complete_reply");
  assert.equal(reply!.content.status, "error");
  assert.equal(reply!.content.evalue, "compiler gone");
});

test("complete and is_complete go through the executor with code-point cursors", async () => {
  const { request, find } = setup();
  const complete = await request("complete_request", { code: "😀ab", cursor_pos: 2 });
  const content = find(complete, "shell", "complete_reply")[0]!.content;
  assert.deepEqual(content.matches, ["😀aDone"]);
  assert.equal(content.cursor_end, 2);
  const isComplete = await request("is_complete_request", { code: "if (x) {" });
  assert.deepEqual(find(isComplete, "shell", "is_complete_reply")[0]!.content, { status: "incomplete", indent: "  " });
});

test("shutdown replies on its channel, closes the executor and reports restart", async () => {
  const { executor, shutdowns, client, kernel, find } = setup();
  const message = client.reply(undefined, "shutdown_request", { restart: true });
  kernel.handle("control", message);
  await until(() => shutdowns.length === 1);
  assert.deepEqual(find(message, "control", "shutdown_reply")[0]!.content, { status: "ok", restart: true });
  assert.equal(executor.closed, true);
  assert.deepEqual(shutdowns, [true]);
});

// -- found by the protocol fuzzer (tests/kernel/fuzz.py) ---------------------------------

test("user_expressions that are not an object of strings get an error reply and run nothing", async () => {
  const { executor, request, find } = setup();
  for (const userExpressions of [["globalThis.ran = 1"], "globalThis.ran = 1", { x: ["globalThis.ran = 1"] }, 42]) {
    const message = await request("execute_request", { code: "1", user_expressions: userExpressions } as JsonObject);
    const [reply] = find(message, "shell", "execute_reply");
    assert.equal(reply!.content.status, "error", `user_expressions ${JSON.stringify(userExpressions)}`);
    assert.match(String(reply!.content.evalue), /user_expressions/);
  }
  assert.equal(executor.executed.length, 0, "no cell ran");
});

test("a comm_open whose target_name is not a string is dropped with a logged reason, not thrown", () => {
  const executor = new FakeExecutor();
  const logged: string[] = [];
  const kernel = new Kernel(new Session(), () => {}, { executor, onShutdown: () => {}, log: (text) => logged.push(text) });
  const client = new Session("client");
  for (const targetName of [{ toString: "not a function" }, 7, null]) {
    kernel.handle("shell", client.reply(undefined, "comm_open", { comm_id: "c1", target_name: targetName, data: {} } as JsonObject));
  }
  kernel.handle("shell", client.reply(undefined, "comm_msg", { comm_id: 12, data: {} }));
  assert.equal(executor.comms.length, 0);
  assert.equal(logged.length, 4);
  assert.match(logged[0]!, /dropped a comm_open on shell: content.target_name is not a string/);
  assert.match(logged[3]!, /comm_id is not a string/);
});

test("an input_reply with no input_request waiting is reported as not taken", () => {
  const { kernel, client } = setup();
  assert.equal(kernel.onInputReply(client.reply(undefined, "input_reply", { value: "unasked" })), false);
});
