/**
 * The kernel: receives verified messages, answers them, and runs cells through
 * the compiler worker and the execution child.
 *
 * - execute_request: one at a time, in arrival order, with busy/idle around each.
 * - Other shell requests (complete, inspect, is_complete, history, kernel_info,
 *   comm_info) are answered at once, also while a cell runs: the compiler works
 *   in its own thread. While a cell runs they publish no busy/idle of their own,
 *   because front ends show the last status they saw and would show "idle"
 *   during the cell.
 * - Comm traffic goes to the child at once, so widgets and the device panel work
 *   while a cell awaits.
 * - Control requests (interrupt, shutdown, usage) are answered immediately.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { CompilerClient } from "../compiler/compiler_client";
import { codePointsToUtf16, utf16ToCodePoints } from "../compiler/code_points";
import { ExecutionHost } from "../executor/execution_host";
import type { ChildToHost, ErrorInfo, RunRequest } from "../executor/child_protocol";
import type { PreparedCell } from "../compiler/requests";
import { cellGlobalsDeclaration } from "../runtime/api";
import { typeErrorContent } from "./diagnostics_error";
import { History, SESSION } from "./history";
import { OutputBatcher } from "./output_batcher";
import { usageReply } from "./usage";
import type { Channel, CompleteRequest, ErrorContent, ExecuteRequest, HistoryRequest, InspectRequest, JsonObject, Message } from "./messages";
import { PROTOCOL_VERSION } from "./messages";
import type { Session } from "./session";

/** Sends a message on a channel (the server signs and routes it). */
export type SendFunction = (channel: Channel, message: Message) => void;

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");
/**
 * The `@types` folder with the kernel's own @types/node (a dependency): inside the
 * package in a checkout, beside it when npm installed tsgpu into a project and hoisted it.
 */
function kernelTypeRoot(): string {
  try {
    return path.dirname(path.dirname(require.resolve("@types/node/package.json")));
  } catch {
    return path.join(PACKAGE_ROOT, "node_modules", "@types");
  }
}
const readVersion = (file: string) => (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version;

export interface KernelOptions {
  /** The notebook's folder: cells run and resolve imports there. */
  directory: string;
  /** Called once the kernel has shut down. */
  onShutdown: (restart: boolean) => void;
}

interface RunningCell {
  request: Message;
  resolve: (message: Extract<ChildToHost, { type: "result" }>) => void;
  reject: (error: Error) => void;
}

export class Kernel {
  private readonly compiler: CompilerClient;
  private readonly host: ExecutionHost;
  private readonly history = new History();
  private readonly output: OutputBatcher;
  private readonly shellQueue: Message[] = [];
  private readonly aborted = new WeakSet<Message>();
  private processing = false;
  private executionCount = 0;
  /** Parent of output that arrives now: the running request, else the last one. */
  private outputParent: Message | undefined;
  private running: RunningCell | undefined;
  private nextRunId = 0;
  private nextChildRequestId = 0;
  /** Prepared cells that can run again unchanged (see PreparedCell.reusable), by code. */
  private readonly reusablePrepared = new Map<string, PreparedCell>();
  private readonly childRequests = new Map<number, (message: ChildToHost) => void>();
  /** The stdin prompt waiting for an input_reply, if any. */
  private pendingInput: { reply: (value: string | null) => void } | undefined;
  private shuttingDown = false;
  /** An execute_request is being handled (compiling or running). */
  private executing = false;
  /** An interrupt arrived while the current cell was still compiling: do not run it. */
  private interruptBeforeRun = false;

  constructor(private readonly session: Session, private readonly send: SendFunction, private readonly options: KernelOptions) {
    this.output = new OutputBatcher((parent, name, text) => this.publish(parent, "stream", { name, text }));
    const apiModule = path.join(__dirname, "..", "runtime", "api");
    this.compiler = new CompilerClient({
      directory: options.directory,
      globalsSource: cellGlobalsDeclaration(apiModule),
      typeRoots: [kernelTypeRoot()],
    });
    this.host = new ExecutionHost(options.directory);
    this.wireHost();
    this.host.start();
  }

  // ---------------------------------------------------------------- plumbing

  private publish(parent: Message | undefined, msgType: string, content: JsonObject, metadata: JsonObject = {}, buffers: Buffer[] = []): void {
    const message = this.session.reply(undefined, msgType, content, metadata, buffers);
    message.parent_header = parent ? parent.header : {};
    message.identities = [Buffer.from(`kernel.${this.session.id}.${msgType}`)];
    this.send("iopub", message);
  }

  private reply(channel: Channel, request: Message, msgType: string, content: JsonObject, metadata: JsonObject = {}): void {
    this.send(channel, this.session.reply(request, msgType, content, metadata));
  }

  private status(parent: Message, state: "busy" | "idle"): void {
    this.publish(parent, "status", { execution_state: state });
  }

  /** Greets a new iopub subscriber (protocol 5.5, JEP 65). */
  welcome(topic: Buffer): void {
    const message = this.session.reply(undefined, "iopub_welcome", { subscription: topic.toString("utf8") });
    message.identities = [topic];
    this.send("iopub", message);
  }

  /** Announces the kernel's start (clients that subscribed early see "starting"). */
  announce(): void {
    this.publish(undefined, "status", { execution_state: "starting" });
  }

  private wireHost(): void {
    this.host.on("stream", (name, text) => this.output.add(this.outputParent, name, text));
    this.host.on("message", (message) => this.onChildMessage(message));
    this.host.on("prompt", (prompt, password) => this.requestInput(prompt, password, (value) => {
      this.host.answerPrompt(value === null ? { cancelled: "input was cancelled" } : { value });
    }));
    this.host.on("exit", (code, signal) => this.onChildExit(code, signal));
  }

  private onChildMessage(message: ChildToHost): void {
    this.output.flush();
    const parent = this.outputParent;
    switch (message.type) {
      case "ready":
        break;
      case "display": {
        const content: JsonObject = { data: message.data, metadata: message.metadata, transient: message.displayId ? { display_id: message.displayId } : {} };
        this.publish(parent, message.update ? "update_display_data" : "display_data", content);
        break;
      }
      case "clear_output":
        this.publish(parent, "clear_output", { wait: message.wait });
        break;
      case "result":
        if (this.running && message.id === this.nextRunId - 1) this.running.resolve(message);
        break;
      case "comm_open":
        this.publish(parent, "comm_open", { comm_id: message.commId, target_name: message.targetName, data: message.data }, message.metadata);
        break;
      case "comm_msg":
        this.publish(parent, "comm_msg", { comm_id: message.commId, data: message.data }, message.metadata, message.buffers.map((b) => Buffer.from(b)));
        break;
      case "comm_close":
        this.publish(parent, "comm_close", { comm_id: message.commId, data: message.data }, message.metadata);
        break;
      case "comm_open_rejected":
        this.publish(parent, "comm_close", { comm_id: message.commId, data: { error: `no comm target "${message.targetName}" is registered in this kernel` } });
        break;
      case "comm_info_reply":
        this.childRequests.get(message.id)?.(message);
        this.childRequests.delete(message.id);
        break;
      case "input_request":
        this.requestInput(message.prompt, message.password, (value) => this.host.send({ type: "input_reply", id: message.id, value }));
        break;
    }
  }

  private onChildExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.shuttingDown) return;
    this.output.flush();
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const note = `The execution process ${how}; a fresh one was started and all variables were lost. (process.exit() in a cell ends it; a crash in native code or running out of memory do too.)`;
    if (this.running) {
      const error = new Error(note);
      error.name = "ProcessExited";
      this.running.reject(error);
    } else {
      this.publish(this.outputParent, "stream", { name: "stderr", text: `[tsgpu] ${note}\n` });
    }
    this.cancelInput();
    for (const answer of this.childRequests.values()) answer({ type: "comm_info_reply", id: -1, comms: {}, seq: 0 });
    this.childRequests.clear();
    this.reusablePrepared.clear();
    this.compiler.request({ op: "reset" }).catch(() => {});
    this.host.start();
  }

  // ---------------------------------------------------------------- stdin

  private requestInput(prompt: string, password: boolean, answer: (value: string | null) => void): void {
    const request = this.running?.request;
    if (!request || request.content.allow_stdin === false) {
      answer(null);
      return;
    }
    this.output.flush();
    this.pendingInput = { reply: answer };
    this.reply("stdin", request, "input_request", { prompt, password });
  }

  private cancelInput(): void {
    this.pendingInput?.reply(null);
    this.pendingInput = undefined;
  }

  /** An input_reply arrived on stdin. */
  onInputReply(message: Message): void {
    const pending = this.pendingInput;
    this.pendingInput = undefined;
    const value = message.content.value;
    pending?.reply(typeof value === "string" ? value : "");
  }

  // ---------------------------------------------------------------- dispatch

  /** A verified request arrived on shell or control. */
  handle(channel: "shell" | "control", message: Message): void {
    const type = message.header.msg_type;
    if (channel === "control") {
      void this.handleControl(message);
      return;
    }
    if (type === "comm_open" || type === "comm_msg" || type === "comm_close") {
      this.forwardComm(message);
      return;
    }
    if (type !== "execute_request") {
      void this.handleAtOnce(message);
      return;
    }
    this.shellQueue.push(message);
    void this.pump();
  }

  private async handleAtOnce(message: Message): Promise<void> {
    const withStatus = !this.processing;
    if (withStatus) this.status(message, "busy");
    try {
      await this.handleShell(message);
    } catch (error) {
      this.replyError(message, error as Error);
    }
    if (withStatus) this.status(message, "idle");
  }

  private async pump(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.shellQueue.length) {
        const message = this.shellQueue.shift()!;
        this.status(message, "busy");
        try {
          await this.handleShell(message);
        } catch (error) {
          this.replyError(message, error as Error);
        }
        this.output.flush();
        this.status(message, "idle");
      }
    } finally {
      this.processing = false;
    }
  }

  private async handleShell(message: Message): Promise<void> {
    switch (message.header.msg_type) {
      case "execute_request":
        return this.execute(message);
      case "kernel_info_request":
        return this.reply("shell", message, "kernel_info_reply", this.kernelInfo());
      case "complete_request":
        return this.complete(message);
      case "inspect_request":
        return this.inspect(message);
      case "is_complete_request":
        return this.isComplete(message);
      case "history_request":
        return this.historyReply(message);
      case "comm_info_request":
        return this.commInfo(message);
      case "shutdown_request":
        return this.shutdown("shell", message);
      default:
        return this.unknown("shell", message);
    }
  }

  private async handleControl(message: Message): Promise<void> {
    this.status(message, "busy");
    try {
      switch (message.header.msg_type) {
        case "interrupt_request":
          this.interrupt();
          this.reply("control", message, "interrupt_reply", { status: "ok" });
          break;
        case "shutdown_request":
          await this.shutdown("control", message);
          return;
        case "kernel_info_request":
          this.reply("control", message, "kernel_info_reply", this.kernelInfo());
          break;
        case "usage_request":
          this.reply("control", message, "usage_reply", usageReply(this.host.pid));
          break;
        case "debug_request":
          this.reply("control", message, "debug_reply", { type: "response", success: false, command: (message.content.command as string) ?? "", message: "tsgpu has no debugger" });
          break;
        default:
          this.unknown("control", message);
      }
    } catch (error) {
      this.replyError(message, error as Error);
    }
    this.status(message, "idle");
  }

  /** Interrupts the running cell (interrupt_request, or SIGINT in signal mode). */
  interrupt(): void {
    this.cancelInput();
    if (this.executing && !this.running) this.interruptBeforeRun = true;
    const running = this.running;
    if (!running) return;
    this.host.send({ type: "interrupt", id: this.nextRunId - 1 });
    this.host.interrupt();
    // The signal can reach the child before the cell's synchronous part starts; repeat it
    // until this cell has answered (a SIGINT stops only a run the kernel asked to stop).
    let repeats = 0;
    const timer = setInterval(() => {
      if (this.running !== running || ++repeats > 40) clearInterval(timer);
      else this.host.interrupt();
    }, 250);
  }

  private unknown(channel: Channel, message: Message): void {
    const type = message.header.msg_type;
    const replyType = type.endsWith("_request") ? type.replace(/_request$/, "_reply") : `${type}_reply`;
    this.reply(channel, message, replyType, {
      status: "error",
      ename: "UnknownMessageType",
      evalue: `tsgpu does not handle "${type}" messages on ${channel}`,
      traceback: [],
    });
  }

  private replyError(message: Message, error: Error): void {
    const type = message.header.msg_type.replace(/_request$/, "_reply");
    this.reply("shell", message, type, { status: "error", ename: error.name, evalue: error.message, traceback: (error.stack ?? "").split("\n") });
  }

  // ---------------------------------------------------------------- requests

  kernelInfo(): JsonObject {
    const typescriptVersion = readVersion(require.resolve("typescript/package.json"));
    return {
      status: "ok",
      protocol_version: PROTOCOL_VERSION,
      implementation: "tsgpu",
      implementation_version: readVersion(path.join(PACKAGE_ROOT, "package.json")),
      language_info: {
        name: "typescript",
        version: typescriptVersion,
        mimetype: "text/typescript",
        file_extension: ".ts",
        pygments_lexer: "typescript",
        codemirror_mode: { name: "javascript", typescript: true },
        nbconvert_exporter: "script",
      },
      banner: `tsgpu ${readVersion(path.join(PACKAGE_ROOT, "package.json"))}: TypeScript ${typescriptVersion} on Node.js ${process.versions.node}`,
      help_links: [
        { text: "tsgpu", url: "https://www.npmjs.com/package/tsgpu" },
        { text: "TypeScript handbook", url: "https://www.typescriptlang.org/docs/handbook/intro.html" },
        { text: "TensorFlow.js API", url: "https://js.tensorflow.org/api/latest/" },
        { text: "Node.js API", url: `https://nodejs.org/docs/v${process.versions.node}/api/` },
      ],
      debugger: false,
      supported_features: [],
    };
  }

  private async execute(message: Message): Promise<void> {
    const content = message.content as ExecuteRequest;
    if (typeof content.code !== "string") throw new TypeError("execute_request content.code must be a string");
    const silent = content.silent === true;
    const storeHistory = !silent && content.store_history !== false;
    if (this.aborted.has(message)) {
      this.reply("shell", message, "execute_reply", { status: "aborted", execution_count: this.executionCount }, { started: new Date().toISOString(), status: "aborted" });
      return;
    }
    const started = new Date().toISOString();
    this.executing = true;
    this.interruptBeforeRun = false;
    try {
      await this.executeCell(message, content, silent, storeHistory, started);
    } finally {
      this.executing = false;
    }
  }

  private async executeCell(message: Message, content: ExecuteRequest, silent: boolean, storeHistory: boolean, started: string): Promise<void> {
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    this.outputParent = message;
    this.output.startExecution(message);
    if (!silent) this.publish(message, "execute_input", { code: content.code, execution_count: count });
    if (storeHistory) this.history.add(count, content.code);

    let error: ErrorContent | undefined;
    let userExpressions: JsonObject = {};
    const prepared = await this.prepare(content.code, count);
    if (prepared instanceof Error) {
      error = { ename: prepared.name, evalue: prepared.message, traceback: [`${prepared.name}: ${prepared.message}`] };
    } else if (prepared.body === undefined) {
      error = typeErrorContent(content.code, prepared.diagnostics);
    } else if (this.interruptBeforeRun) {
      error = { ename: "Interrupted", evalue: "the cell was interrupted before it started", traceback: ["\u001b[0;31mInterrupted\u001b[0m: the cell was interrupted before it started"] };
    } else {
      const outcome = await this.run(message, {
        type: "run",
        id: 0,
        cellNumber: count,
        code: content.code,
        body: prepared.body,
        sourceMap: prepared.sourceMap ?? "",
        returnsValue: prepared.returnsValue ?? false,
        userExpressions: (content.user_expressions as Record<string, string>) ?? {},
        allowStdin: content.allow_stdin !== false,
      });
      userExpressions = outcome.userExpressions;
      if (outcome.error) error = { ...outcome.error };
      else if (outcome.data && !silent) {
        this.publish(message, "execute_result", { execution_count: count, data: outcome.data, metadata: {} });
        if (storeHistory) this.history.setOutput(count, String(outcome.data["text/plain"] ?? ""));
      }
    }
    this.output.finishExecution();
    if (error) {
      if (!silent) this.publish(message, "error", error);
      if (content.stop_on_error !== false) for (const queued of this.shellQueue) if (queued.header.msg_type === "execute_request") this.aborted.add(queued);
      this.reply("shell", message, "execute_reply", { status: "error", execution_count: count, ...error, user_expressions: userExpressions }, { started, status: "error" });
      return;
    }
    this.reply("shell", message, "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] }, { started, status: "ok" });
  }

  /** Type-checks and transforms a cell, reusing an earlier result when nothing it depends on changed. */
  private async prepare(code: string, count: number): Promise<PreparedCell | Error> {
    const reused = this.reusablePrepared.get(code);
    if (reused) return reused;
    const prepared = await this.compiler.request({ op: "prepare", code, fileName: `cell[${count}].ts` }).catch((e: Error) => e);
    if (prepared instanceof Error) return prepared;
    if (prepared.changesContext) this.reusablePrepared.clear();
    if (prepared.reusable && this.reusablePrepared.size < 1000) this.reusablePrepared.set(code, prepared);
    return prepared;
  }

  /** Runs a prepared cell in the child; a dead child becomes the cell's error. */
  private async run(message: Message, request: RunRequest): Promise<{ data?: Record<string, unknown>; error?: ErrorInfo; userExpressions: JsonObject }> {
    request.id = this.nextRunId++;
    try {
      const result = await new Promise<Extract<ChildToHost, { type: "result" }>>((resolve, reject) => {
        this.running = { request: message, resolve, reject };
        if (!this.host.send(request)) reject(Object.assign(new Error("the execution process is not running; it is being restarted, run the cell again"), { name: "ProcessExited" }));
      });
      if (result.status === "ok") return { data: result.data, userExpressions: result.userExpressions };
      return { error: result.error, userExpressions: result.userExpressions };
    } catch (e) {
      const error = e as Error;
      return { error: { ename: error.name, evalue: error.message, traceback: [`\u001b[0;31m${error.name}\u001b[0m: ${error.message}`] }, userExpressions: {} };
    } finally {
      this.running = undefined;
    }
  }

  private async complete(message: Message): Promise<void> {
    const { code, cursor_pos } = message.content as CompleteRequest;
    const offset = codePointsToUtf16(code, cursor_pos ?? code.length);
    const result = await this.compiler.request({ op: "complete", code, offset });
    const start = utf16ToCodePoints(code, result.start);
    const end = utf16ToCodePoints(code, result.end);
    this.reply("shell", message, "complete_reply", {
      status: "ok",
      matches: result.items.map((item) => item.name),
      cursor_start: start,
      cursor_end: end,
      metadata: {
        _jupyter_types_experimental: result.items.map((item) => ({ start, end, text: item.name, type: item.kind, signature: item.signature ?? "" })),
      },
    });
  }

  private async inspect(message: Message): Promise<void> {
    const { code, cursor_pos, detail_level } = message.content as InspectRequest;
    const offset = codePointsToUtf16(code, cursor_pos ?? code.length);
    const info = await this.compiler.request({ op: "inspect", code, offset, detailLevel: detail_level ?? 0 });
    const data: JsonObject = {};
    if (info.found) {
      const parts = [info.signature, info.documentation, ...(info.tags ?? [])].filter(Boolean);
      data["text/plain"] = parts.join("\n\n");
      data["text/markdown"] = [`\`\`\`typescript\n${info.signature}\n\`\`\``, info.documentation, ...(info.tags ?? []).map((t) => `*${t}*`)].filter(Boolean).join("\n\n");
    }
    this.reply("shell", message, "inspect_reply", { status: "ok", found: info.found, data, metadata: {} });
  }

  private async isComplete(message: Message): Promise<void> {
    const code = String(message.content.code ?? "");
    this.reply("shell", message, "is_complete_reply", await this.compiler.request({ op: "isComplete", code }));
  }

  private historyReply(message: Message): void {
    const request = message.content as HistoryRequest;
    const entries =
      request.hist_access_type === "tail" ? this.history.tail(request.n ?? 10)
      : request.hist_access_type === "range" ? this.history.range(request.session ?? 0, request.start ?? 0, request.stop)
      : request.hist_access_type === "search" ? this.history.search(request.pattern ?? "*", request.n, request.unique ?? false)
      : [];
    const history = entries.map((e) => (request.output ? [e.session, e.line, [e.input, e.output ?? null]] : [e.session, e.line, e.input]));
    this.reply("shell", message, "history_reply", { status: "ok", history });
  }

  private async commInfo(message: Message): Promise<void> {
    const targetName = typeof message.content.target_name === "string" ? message.content.target_name : undefined;
    const id = this.nextChildRequestId++;
    const comms = await new Promise<Record<string, unknown>>((resolve) => {
      this.childRequests.set(id, (reply) => resolve(reply.type === "comm_info_reply" ? reply.comms : {}));
      if (!this.host.send({ type: "comm_info", id, targetName })) {
        this.childRequests.delete(id);
        resolve({});
      }
    });
    this.reply("shell", message, "comm_info_reply", { status: "ok", comms });
  }

  private forwardComm(message: Message): void {
    const content = message.content as { comm_id?: unknown; target_name?: unknown; data?: unknown };
    if (typeof content.comm_id !== "string") return;
    const data = (content.data && typeof content.data === "object" ? content.data : {}) as Record<string, unknown>;
    const type = message.header.msg_type;
    this.outputParent ??= message;
    if (type === "comm_open") this.host.send({ type: "comm_open", commId: content.comm_id, targetName: String(content.target_name ?? ""), data });
    else if (type === "comm_msg") this.host.send({ type: "comm_msg", commId: content.comm_id, data, metadata: message.metadata, buffers: message.buffers });
    else this.host.send({ type: "comm_close", commId: content.comm_id, data });
  }

  private async shutdown(channel: Channel, message: Message): Promise<void> {
    const restart = message.content.restart === true;
    this.shuttingDown = true;
    this.reply(channel, message, "shutdown_reply", { status: "ok", restart });
    this.status(message, "idle");
    await this.host.stop();
    await this.compiler.terminate();
    this.options.onShutdown(restart);
  }

  /** Stops the child and the compiler (the process is ending). */
  async close(): Promise<void> {
    this.shuttingDown = true;
    await this.host.stop();
    await this.compiler.terminate();
  }
}

export { SESSION };
