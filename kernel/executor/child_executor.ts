/**
 * The real {@link CellExecutor}: cells are type-checked and rewritten by the
 * compiler worker (CompilerClient) and run in the execution child
 * (ExecutionHost). Holds the execute state machine: the prepared-cell cache,
 * run ids (so a late interrupt never stops the next cell), interrupts that
 * land before a run, and restarting the child when it dies.
 */
import path from "node:path";
import { CompilerClient } from "../compiler/compiler_client";
import { prepareLiteralCell } from "../compiler/literal_cell";
import type { PreparedCell } from "../compiler/requests";
import { KERNEL_ROOT } from "../bundled_packages";
import { cellGlobalsDeclaration } from "../runtime/api";
import type { ChildToHost, RunRequest } from "./child_protocol";
import type { CellExecutor, CellRequest, CellResult, CommToCells, ExecutionEvents, OpenComms } from "./cell_executor";
import { ExecutionHost } from "./execution_host";
import { InspectorConnection } from "./inspector_connection";

/**
 * The `@types` folder with the kernel's own @types/node (a dependency): inside the
 * package in a checkout, beside it when npm installed tsgpu into a project and hoisted it.
 */
function kernelTypeRoot(): string {
  try {
    return path.dirname(path.dirname(require.resolve("@types/node/package.json")));
  } catch {
    return path.join(KERNEL_ROOT, "node_modules", "@types");
  }
}

/** The body of the no-op cell `0`, which the child runs once when it starts (CellRunner.warmUp). */
const WARM_UP_BODY = prepareLiteralCell("0")!.body!;

/** Options of {@link ChildExecutor}. */
export interface ChildExecutorOptions {
  /** The notebook's folder: cells run and resolve imports there. */
  directory: string;
  /**
   * Modules the child requires at start, before any cell: the layers above the
   * executor register their hooks there (see hooks.ts).
   */
  childSetupModules?: readonly string[];
}

type ResultMessage = Extract<ChildToHost, { type: "result" }>;

interface RunningCell {
  allowStdin: boolean;
  resolve: (message: ResultMessage) => void;
  reject: (error: Error) => void;
}

const IGNORE_EVENTS: ExecutionEvents = { stream() {}, message() {}, input: (_p, _pw, answer) => answer(null), restarted() {} };

export class ChildExecutor implements CellExecutor {
  private readonly compiler: CompilerClient;
  private readonly host: ExecutionHost;
  readonly inspector: InspectorConnection;
  private events: ExecutionEvents = IGNORE_EVENTS;
  private running: RunningCell | undefined;
  private nextRunId = 0;
  private nextChildRequestId = 0;
  /** Prepared cells that can run again unchanged (see PreparedCell.reusable), by code. */
  private readonly reusablePrepared = new Map<string, PreparedCell>();
  private readonly childRequests = new Map<number, (message: ChildToHost) => void>();
  private closed = false;
  /** A cell is being executed (compiling or running). */
  private executing = false;
  /** An interrupt arrived while the current cell was still compiling: do not run it. */
  private interruptBeforeRun = false;

  constructor(options: ChildExecutorOptions) {
    const apiModule = path.join(__dirname, "..", "runtime", "api");
    this.compiler = new CompilerClient({
      directory: options.directory,
      globalsSource: cellGlobalsDeclaration(apiModule),
      typeRoots: [kernelTypeRoot()],
    });
    this.host = new ExecutionHost(options.directory, options.childSetupModules ?? []);
    this.host.on("stream", (name, text) => this.events.stream(name, text));
    this.host.on("message", (message) => this.onChildMessage(message));
    this.host.on("prompt", (prompt, password) => this.requestInput(prompt, password, (value) => {
      this.host.answerPrompt(value === null ? { cancelled: "input was cancelled" } : { value });
    }));
    this.host.on("exit", (code, signal) => this.onChildExit(code, signal));
    this.inspector = new InspectorConnection(this.host);
    this.startChild();
  }

  private startChild(): void {
    this.host.start();
    // Queued before any cell: the user's first cell finds the run path compiled by V8 (CellRunner.warmUp).
    this.host.send({ type: "warm_up", body: WARM_UP_BODY });
    this.inspector.childStarted();
  }

  get pid(): number | undefined {
    return this.host.pid;
  }

  listen(events: ExecutionEvents): void {
    this.events = events;
  }

  private onChildMessage(message: ChildToHost): void {
    this.events.message(message);
    switch (message.type) {
      case "result":
        if (this.running && message.id === this.nextRunId - 1) this.running.resolve(message);
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

  /** Input is asked of the front end only for a running cell that allows it. */
  private requestInput(prompt: string, password: boolean, answer: (value: string | null) => void): void {
    if (!this.running?.allowStdin) answer(null);
    else this.events.input(prompt, password, answer);
  }

  private onChildExit(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.closed) return;
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const note = `The execution process ${how}; a fresh one was started and all variables were lost. (process.exit() in a cell ends it; a crash in native code or running out of memory do too.)`;
    const running = this.running;
    this.events.restarted(note, running !== undefined);
    if (running) {
      const error = new Error(note);
      error.name = "ProcessExited";
      running.reject(error);
    }
    for (const answer of this.childRequests.values()) answer({ type: "comm_info_reply", id: -1, comms: {}, seq: 0 });
    this.childRequests.clear();
    this.reusablePrepared.clear();
    this.compiler.request({ op: "reset" }).catch(() => {});
    this.startChild();
  }

  async execute(cell: CellRequest): Promise<CellResult> {
    this.executing = true;
    this.interruptBeforeRun = false;
    try {
      const prepared = await this.prepare(cell.code, cell.cellNumber);
      if (prepared instanceof Error) {
        return { status: "error", error: { ename: prepared.name, evalue: prepared.message, traceback: [`${prepared.name}: ${prepared.message}`] }, userExpressions: {} };
      }
      if (prepared.body === undefined) return { status: "type_errors", diagnostics: prepared.diagnostics };
      // The debugger places its breakpoints in the cell's script before it runs.
      await this.inspector.beforeRun({ cellNumber: cell.cellNumber, code: cell.code, body: prepared.body, sourceMap: prepared.sourceMap ?? "" }).catch(() => {});
      if (this.interruptBeforeRun) {
        return { status: "error", error: { ename: "Interrupted", evalue: "the cell was interrupted before it started", traceback: ["\u001b[0;31mInterrupted\u001b[0m: the cell was interrupted before it started"] }, userExpressions: {} };
      }
      return await this.run(cell, {
        type: "run",
        id: 0,
        cellNumber: cell.cellNumber,
        code: cell.code,
        body: prepared.body,
        sourceMap: prepared.sourceMap ?? "",
        returnsValue: prepared.returnsValue ?? false,
        declaredNames: prepared.declaredNames ?? [],
        userExpressions: cell.userExpressions,
        allowStdin: cell.allowStdin,
      });
    } finally {
      this.executing = false;
    }
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
  private async run(cell: CellRequest, request: RunRequest): Promise<CellResult> {
    request.id = this.nextRunId++;
    try {
      const result = await new Promise<ResultMessage>((resolve, reject) => {
        this.running = { allowStdin: cell.allowStdin, resolve, reject };
        if (!this.host.send(request)) reject(Object.assign(new Error("the execution process is not running; it is being restarted, run the cell again"), { name: "ProcessExited" }));
      });
      if (result.status === "ok") return { status: "ok", data: result.data, userExpressions: result.userExpressions };
      return { status: "error", error: result.error, userExpressions: result.userExpressions };
    } catch (e) {
      const error = e as Error;
      return { status: "error", error: { ename: error.name, evalue: error.message, traceback: [`\u001b[0;31m${error.name}\u001b[0m: ${error.message}`] }, userExpressions: {} };
    } finally {
      this.running = undefined;
    }
  }

  interrupt(): void {
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

  complete(code: string, offset: number) {
    return this.compiler.request({ op: "complete", code, offset });
  }

  inspect(code: string, offset: number, detailLevel: number) {
    return this.compiler.request({ op: "inspect", code, offset, detailLevel });
  }

  isComplete(code: string) {
    return this.compiler.request({ op: "isComplete", code });
  }

  commInfo(targetName?: string): Promise<OpenComms> {
    const id = this.nextChildRequestId++;
    return new Promise<OpenComms>((resolve) => {
      this.childRequests.set(id, (reply) => resolve(reply.type === "comm_info_reply" ? reply.comms : {}));
      if (!this.host.send({ type: "comm_info", id, targetName })) {
        this.childRequests.delete(id);
        resolve({});
      }
    });
  }

  sendComm(message: CommToCells): void {
    this.host.send(message);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.host.stop();
    await this.compiler.terminate();
  }
}
