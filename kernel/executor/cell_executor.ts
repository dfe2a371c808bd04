/**
 * What the protocol layer asks of the execution side, and what it hears back.
 * The protocol layer (kernel/protocol/) talks only to this interface; the real
 * implementation is {@link ChildExecutor} (child_executor.ts: the compiler
 * worker plus the execution child), and unit tests drive the protocol with a
 * fake. Nothing here knows Jupyter messages.
 */
import type { CellDiagnostic } from "../compiler/requests";
import type { Completions, Inspection, IsCompleteStatus } from "../compiler/requests";
import type { MimeBundle } from "../runtime/display";
import type { ChildToHost, ErrorInfo, HostToChild, UserExpressionResult } from "./child_protocol";
import type { StreamName } from "./execution_host";
import type { Inspector } from "./inspector_connection";

/** One cell to run. */
export interface CellRequest {
  /** The cell as typed. */
  code: string;
  /** The execution count: names the cell in tracebacks (`cell[3]`). */
  cellNumber: number;
  /** Expressions evaluated after the cell, by name (Jupyter's user_expressions). */
  userExpressions: Record<string, string>;
  /** Whether the cell may ask for input (`prompt()`); when false a prompt fails at once. */
  allowStdin: boolean;
}

/** How a cell ended. */
export type CellResult =
  /** It ran; `data` is the last expression's value, when there was one. */
  | { status: "ok"; data?: MimeBundle; userExpressions: Record<string, UserExpressionResult> }
  /** It failed: threw, was interrupted, its process died, or the compiler failed. */
  | { status: "error"; error: ErrorInfo; userExpressions: Record<string, UserExpressionResult> }
  /** Type errors stopped it before it ran. */
  | { status: "type_errors"; diagnostics: CellDiagnostic[] };

/** Comm traffic from the front end to the cells. */
export type CommToCells = Extract<HostToChild, { type: "comm_open" | "comm_msg" | "comm_close" }>;

/** Open comms by id, as comm_info_reply lists them. */
export type OpenComms = Record<string, { target_name: string }>;

/** What the execution side reports while cells run (see {@link CellExecutor.listen}). */
export interface ExecutionEvents {
  /** Text the cells printed (stdout or stderr), in order with {@link message}. */
  stream(name: StreamName, text: string): void;
  /**
   * Every message from the cells' process, in output order: display,
   * clear_output and comm traffic are for the listener to publish; the rest
   * (results, replies) the executor handles itself after this call.
   */
  message(message: ChildToHost): void;
  /**
   * The running cell asks for a line of input; call `answer` with it, or with
   * null to cancel. Only asked while a cell that allows stdin runs.
   */
  input(prompt: string, password: boolean, answer: (value: string | null) => void): void;
  /**
   * The cells' process ended (process.exit(), a crash) and a fresh one was
   * started; `note` says so. `cellFailed`: the running cell fails with
   * ProcessExited (so the note needs no separate output).
   */
  restarted(note: string, cellFailed: boolean): void;
}

/** The execution side of the kernel: compiles and runs cells, and the comms they own. */
export interface CellExecutor {
  /** Sets the listener for outputs, input requests and restarts (one listener). */
  listen(events: ExecutionEvents): void;
  /** Type-checks and runs one cell; one at a time. Never rejects: failures are a result. */
  execute(cell: CellRequest): Promise<CellResult>;
  /**
   * Interrupts the cell being executed: one still compiling does not run, one
   * running is stopped. Does nothing while idle.
   */
  interrupt(): void;
  complete(code: string, offset: number): Promise<Completions>;
  inspect(code: string, offset: number, detailLevel: number): Promise<Inspection>;
  isComplete(code: string): Promise<IsCompleteStatus>;
  /** Open comms, optionally of one target; empty when the cells' process is not running. */
  commInfo(targetName?: string): Promise<OpenComms>;
  /** Delivers front-end comm traffic to the cells at once (also while a cell runs). */
  sendComm(message: CommToCells): void;
  /** The V8 inspector of the cells' process, for the debugger; absent where there is none. */
  readonly inspector?: Inspector;
  /** The process running the cells, for usage figures. */
  readonly pid: number | undefined;
  /** Stops everything; later exits are not reported. */
  close(): Promise<void>;
}
