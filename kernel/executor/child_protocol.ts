/**
 * Messages between the kernel process ("host") and its execution child.
 * They travel over Node's IPC channel (advanced serialisation, so binary comm
 * buffers pass as they are). Output order: before each child->host message the
 * child writes a sequence marker to stdout and stderr; the host holds the
 * message until both streams have delivered their marker, so text printed
 * before a display or a result is always sent to the front end before it.
 * A blocking `prompt()` uses two extra pipes (fds 4 and 5), see blocking_prompt.ts;
 * the debugger two more (fds 6 and 7), see inspector_relay.ts.
 */
import type { MimeBundle } from "../runtime/display";

export interface RunRequest {
  type: "run";
  id: number;
  cellNumber: number;
  /** The cell as typed (for error context). */
  code: string;
  body: string;
  sourceMap: string;
  returnsValue: boolean;
  /** Top-level names the cell declares: the child keeps the source of the latest cell declaring each (see cell_sources.ts). */
  declaredNames: string[];
  userExpressions: Record<string, string>;
  allowStdin: boolean;
}

export type HostToChild =
  | RunRequest
  | { type: "comm_open"; commId: string; targetName: string; data: Record<string, unknown> }
  | { type: "comm_msg"; commId: string; data: Record<string, unknown>; metadata: Record<string, unknown>; buffers: Uint8Array[] }
  | { type: "comm_close"; commId: string; data: Record<string, unknown> }
  | { type: "comm_info"; id: number; targetName?: string }
  | { type: "input_reply"; id: number; value: string | null }
  /** Stop run `id` (sent with a SIGINT, which alone stops a synchronous loop). */
  | { type: "interrupt"; id: number }
  /** Start the debugger's inspector relay (a worker thread, see inspector_relay.ts); idempotent. */
  | { type: "inspector_start" }
  /** Run this no-op cell body once through the whole run path, publishing nothing (see CellRunner.warmUp); answered by `warmed_up`. */
  | { type: "warm_up"; body: string };

export interface ErrorInfo {
  ename: string;
  evalue: string;
  traceback: string[];
}

export type UserExpressionResult =
  | { status: "ok"; data: MimeBundle; metadata: Record<string, unknown> }
  | ({ status: "error" } & ErrorInfo);

export type ChildToHostBody =
  | { type: "ready"; pid: number }
  | { type: "warmed_up" }
  | { type: "display"; data: MimeBundle; metadata: Record<string, unknown>; displayId?: string; update: boolean }
  | { type: "clear_output"; wait: boolean }
  | { type: "result"; id: number; status: "ok"; data?: MimeBundle; userExpressions: Record<string, UserExpressionResult> }
  | { type: "result"; id: number; status: "error"; error: ErrorInfo; interrupted: boolean; userExpressions: Record<string, UserExpressionResult> }
  | { type: "comm_open"; commId: string; targetName: string; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { type: "comm_msg"; commId: string; data: Record<string, unknown>; metadata: Record<string, unknown>; buffers: Uint8Array[] }
  | { type: "comm_close"; commId: string; data: Record<string, unknown>; metadata: Record<string, unknown> }
  | { type: "comm_open_rejected"; commId: string; targetName: string }
  | { type: "comm_info_reply"; id: number; comms: Record<string, { target_name: string }> }
  | { type: "input_request"; id: number; prompt: string; password: boolean };

/** Every child message has a sequence number and says which streams carry its marker. */
export type ChildToHost = ChildToHostBody & { seq: number; marked?: { stdout: boolean; stderr: boolean } };

/** The marker written to stdout and stderr before message `seq`. */
export const sequenceMarker = (seq: number) => `\u0000tsgpu-seq:${seq}\u0000`;
export const SEQUENCE_MARKER_PATTERN = /\u0000tsgpu-seq:(\d+)\u0000/g;
export const SEQUENCE_MARKER_PREFIX = "\u0000tsgpu-seq:";

/** File descriptors of the blocking-prompt pipes in the child. */
export const PROMPT_REQUEST_FD = 4;
export const PROMPT_REPLY_FD = 5;

/**
 * File descriptors of the debugger's pipes in the child: Chrome DevTools
 * Protocol commands in, replies and events out, one JSON object a line.
 */
export const INSPECTOR_REQUEST_FD = 6;
export const INSPECTOR_EVENT_FD = 7;
