/**
 * The kernel's request dispatch: receives verified messages and answers them,
 * with busy/idle around each, asking a {@link CellExecutor} to run cells.
 *
 * - execute_request: one at a time, in arrival order (the shell queue). A cell
 *   that fails aborts the execute_requests queued behind it (unless it asked
 *   `stop_on_error: false`).
 * - Other shell requests (complete, inspect, is_complete, history, kernel_info,
 *   comm_info) are answered at once, also while a cell runs: the compiler works
 *   in its own thread. While a cell runs they publish no busy/idle of their own,
 *   because front ends show the last status they saw and would show "idle"
 *   during the cell.
 * - Comm traffic goes to the cells at once, so widgets and the device panel work
 *   while a cell awaits. What the cells send back goes through IopubBridge.
 * - Control requests (interrupt, shutdown, usage) are answered immediately, on
 *   control, errors included.
 */
import type { CellExecutor } from "../executor/cell_executor";
import { DebugAdapter, type DapRequest } from "./debugger/debug_adapter";
import { typeErrorContent } from "./diagnostics_error";
import { History, SESSION } from "./history";
import { IopubBridge } from "./iopub_bridge";
import type { Channel, CompleteRequest, ErrorContent, ExecuteRequest, HistoryRequest, InspectRequest, JsonObject, Message } from "./messages";
import { Outbox, type SendFunction } from "./outbox";
import type { Session } from "./session";
import { completeReply, historyReply, inspectReply, kernelInfo } from "./shell_requests";
import { usageReply } from "./usage";

export type { SendFunction };

export interface KernelOptions {
  /** Runs the cells (ChildExecutor in the kernel, a fake in unit tests). */
  executor: CellExecutor;
  /** Called once the kernel has shut down. */
  onShutdown: (restart: boolean) => void;
  /** Input history (default: this kernel's only, in memory). */
  history?: History;
  /** Where the reasons for dropped messages go (the kernel's stderr, i.e. the Jupyter server log). */
  log?: (text: string) => void;
}

export class Kernel {
  private readonly outbox: Outbox;
  private readonly bridge: IopubBridge;
  private readonly executor: CellExecutor;
  private readonly history: History;
  private readonly shellQueue: Message[] = [];
  private readonly aborted = new WeakSet<Message>();
  private processing = false;
  private executionCount = 0;
  /** The debugger (Jupyter debug protocol), where the executor has an inspector. */
  private readonly debugAdapter: DebugAdapter | undefined;
  /** The last debug_request: the parent of debug_events. */
  private debugParent: Message | undefined;

  constructor(session: Session, send: SendFunction, private readonly options: KernelOptions) {
    this.outbox = new Outbox(session, send);
    this.bridge = new IopubBridge(this.outbox);
    this.executor = options.executor;
    this.history = options.history ?? new History();
    this.executor.listen(this.bridge);
    if (this.executor.inspector) {
      this.debugAdapter = new DebugAdapter(this.executor.inspector, (event) => this.outbox.publish(this.debugParent, "debug_event", event as unknown as JsonObject));
    }
  }

  /** Greets a new iopub subscriber (protocol 5.5, JEP 65). */
  welcome(topic: Buffer): void {
    this.outbox.welcome(topic);
  }

  /** Announces the kernel's start (clients that subscribed early see "starting"). */
  announce(): void {
    this.outbox.status(undefined, "starting");
  }

  /** An input_reply arrived on stdin; false when no prompt was waiting for it (it is dropped). */
  onInputReply(message: Message): boolean {
    return this.bridge.onInputReply(message);
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
    if (withStatus) this.outbox.status(message, "busy");
    try {
      await this.handleShell(message);
    } catch (error) {
      this.replyError("shell", message, error as Error);
    }
    if (withStatus) this.outbox.status(message, "idle");
  }

  private async pump(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.shellQueue.length) {
        const message = this.shellQueue.shift()!;
        this.outbox.status(message, "busy");
        try {
          await this.handleShell(message);
        } catch (error) {
          this.replyError("shell", message, error as Error);
        }
        this.bridge.output.flush();
        this.outbox.status(message, "idle");
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
        return this.outbox.reply("shell", message, "kernel_info_reply", kernelInfo(this.debugAdapter !== undefined));
      case "complete_request":
        return this.outbox.reply("shell", message, "complete_reply", await completeReply(this.executor, message.content as CompleteRequest));
      case "inspect_request":
        return this.outbox.reply("shell", message, "inspect_reply", await inspectReply(this.executor, message.content as InspectRequest));
      case "is_complete_request":
        return this.outbox.reply("shell", message, "is_complete_reply", await this.executor.isComplete(String(message.content.code ?? "")));
      case "history_request":
        return this.outbox.reply("shell", message, "history_reply", historyReply(this.history, message.content as HistoryRequest));
      case "comm_info_request":
        return this.commInfo(message);
      case "shutdown_request":
        return this.shutdown("shell", message);
      default:
        return this.unknown("shell", message);
    }
  }

  private async handleControl(message: Message): Promise<void> {
    this.outbox.status(message, "busy");
    try {
      switch (message.header.msg_type) {
        case "interrupt_request":
          this.interrupt();
          this.outbox.reply("control", message, "interrupt_reply", { status: "ok" });
          break;
        case "shutdown_request":
          await this.shutdown("control", message);
          return;
        case "kernel_info_request":
          this.outbox.reply("control", message, "kernel_info_reply", kernelInfo(this.debugAdapter !== undefined));
          break;
        case "usage_request":
          this.outbox.reply("control", message, "usage_reply", usageReply(this.executor.pid));
          break;
        case "debug_request":
          await this.debug(message);
          break;
        default:
          this.unknown("control", message);
      }
    } catch (error) {
      this.replyError("control", message, error as Error);
    }
    this.outbox.status(message, "idle");
  }

  /** Interrupts the cell being executed (interrupt_request, or SIGINT in signal mode). */
  interrupt(): void {
    this.bridge.cancelInput();
    // A cell stopped in the debugger is resumed first: a paused process cannot be interrupted.
    if (this.debugAdapter?.isPaused) void this.debugAdapter.releaseForInterrupt().finally(() => this.executor.interrupt());
    else this.executor.interrupt();
  }

  /** A Debug Adapter Protocol request (Jupyter debug protocol), answered with its DAP response. */
  private async debug(message: Message): Promise<void> {
    const request = message.content as unknown as DapRequest;
    if (!this.debugAdapter) {
      this.outbox.reply("control", message, "debug_reply", { seq: 0, type: "response", request_seq: request.seq ?? 0, success: false, command: request.command ?? "", message: "this kernel has no debugger" });
      return;
    }
    this.debugParent = message;
    const response = await this.debugAdapter.handle(request);
    this.outbox.reply("control", message, "debug_reply", response as unknown as JsonObject);
  }

  private unknown(channel: Channel, message: Message): void {
    const type = message.header.msg_type;
    const replyType = type.endsWith("_request") ? type.replace(/_request$/, "_reply") : `${type}_reply`;
    this.outbox.reply(channel, message, replyType, {
      status: "error",
      ename: "UnknownMessageType",
      evalue: `tsgpu does not handle "${type}" messages on ${channel}`,
      traceback: [],
    });
  }

  /** Answers a request that failed with an error reply, on the channel the request came from. */
  private replyError(channel: Channel, message: Message, error: Error): void {
    const type = message.header.msg_type.replace(/_request$/, "_reply");
    this.outbox.reply(channel, message, type, { status: "error", ename: error.name, evalue: error.message, traceback: (error.stack ?? "").split("\n") });
  }

  // ---------------------------------------------------------------- execute

  private async execute(message: Message): Promise<void> {
    const content = message.content as ExecuteRequest;
    if (typeof content.code !== "string") throw new TypeError("execute_request content.code must be a string");
    // user_expressions are code: only a {name: expression string} object is run (a list's items, or a value
    // that stringifies to code, would otherwise run as expressions nobody asked for).
    const expressions: unknown = content.user_expressions ?? {};
    if (typeof expressions !== "object" || Array.isArray(expressions) || Object.values(expressions as object).some((e) => typeof e !== "string")) {
      throw new TypeError("execute_request content.user_expressions must be an object of expression strings");
    }
    const silent = content.silent === true;
    const storeHistory = !silent && content.store_history !== false;
    if (this.aborted.has(message)) {
      this.outbox.reply("shell", message, "execute_reply", { status: "aborted", execution_count: this.executionCount }, { started: new Date().toISOString(), status: "aborted" });
      return;
    }
    const started = new Date().toISOString();
    if (storeHistory) this.executionCount++;
    const count = this.executionCount;
    this.bridge.startExecution(message);
    if (!silent) this.outbox.publish(message, "execute_input", { code: content.code, execution_count: count });
    if (storeHistory) this.history.add(count, content.code);

    const result = await this.executor.execute({
      code: content.code,
      cellNumber: count,
      userExpressions: expressions as Record<string, string>,
      allowStdin: content.allow_stdin !== false,
    });
    let error: ErrorContent | undefined;
    let userExpressions: JsonObject = {};
    if (result.status === "type_errors") {
      error = typeErrorContent(content.code, result.diagnostics);
    } else {
      userExpressions = result.userExpressions;
      if (result.status === "error") error = { ...result.error };
      else if (result.data && !silent) {
        this.outbox.publish(message, "execute_result", { execution_count: count, data: result.data, metadata: {} });
        if (storeHistory) this.history.setOutput(count, String(result.data["text/plain"] ?? ""));
      }
    }
    this.bridge.output.finishExecution();
    if (error) {
      if (!silent) this.outbox.publish(message, "error", error);
      if (content.stop_on_error !== false) for (const queued of this.shellQueue) if (queued.header.msg_type === "execute_request") this.aborted.add(queued);
      this.outbox.reply("shell", message, "execute_reply", { status: "error", execution_count: count, ...error, user_expressions: userExpressions }, { started, status: "error" });
      return;
    }
    this.outbox.reply("shell", message, "execute_reply", { status: "ok", execution_count: count, user_expressions: userExpressions, payload: [] }, { started, status: "ok" });
  }

  // ---------------------------------------------------------------- comms

  private async commInfo(message: Message): Promise<void> {
    const targetName = typeof message.content.target_name === "string" ? message.content.target_name : undefined;
    const comms = await this.executor.commInfo(targetName);
    this.outbox.reply("shell", message, "comm_info_reply", { status: "ok", comms });
  }

  /** Comm messages are not requests (no reply, spec "Custom Messages"): a malformed one is dropped with its reason logged. */
  private forwardComm(message: Message): void {
    const content = message.content as { comm_id?: unknown; target_name?: unknown; data?: unknown };
    const type = message.header.msg_type;
    const drop = (why: string) => this.options.log?.(`dropped a ${type} on shell: ${why}`);
    if (typeof content.comm_id !== "string") return drop("content.comm_id is not a string");
    if (type === "comm_open" && typeof content.target_name !== "string") return drop("content.target_name is not a string");
    const data = (content.data && typeof content.data === "object" && !Array.isArray(content.data) ? content.data : {}) as Record<string, unknown>;
    this.bridge.parent ??= message;
    if (type === "comm_open") this.executor.sendComm({ type: "comm_open", commId: content.comm_id, targetName: content.target_name as string, data });
    else if (type === "comm_msg") this.executor.sendComm({ type: "comm_msg", commId: content.comm_id, data, metadata: message.metadata, buffers: message.buffers });
    else this.executor.sendComm({ type: "comm_close", commId: content.comm_id, data });
  }

  // ---------------------------------------------------------------- shutdown

  private async shutdown(channel: Channel, message: Message): Promise<void> {
    const restart = message.content.restart === true;
    this.outbox.reply(channel, message, "shutdown_reply", { status: "ok", restart });
    this.outbox.status(message, "idle");
    await this.executor.close();
    this.options.onShutdown(restart);
  }

  /** Stops the executor (the process is ending). */
  async close(): Promise<void> {
    await this.executor.close();
  }
}

export { SESSION };
