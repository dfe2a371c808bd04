/**
 * Typed Jupyter messages (messaging spec 5.5,
 * https://jupyter-client.readthedocs.io/en/latest/messaging.html).
 * Only the shapes the kernel reads or writes are typed; content stays open
 * (`Record<string, unknown>`) where the spec allows extra fields.
 */

/** The protocol version this kernel speaks (5.5 adds iopub_welcome). */
export const PROTOCOL_VERSION = "5.5";

export type Channel = "shell" | "control" | "stdin" | "iopub";

export interface Header {
  msg_id: string;
  session: string;
  username: string;
  /** ISO 8601 with time zone; every header carries it. */
  date: string;
  msg_type: string;
  version: string;
  /** Extra fields some clients send (subshell_id...) are kept as they are. */
  [extra: string]: unknown;
}

export type JsonObject = Record<string, unknown>;

/** One Jupyter message, as decoded from (or about to be encoded into) the wire. */
export interface Message<Content extends JsonObject = JsonObject> {
  /** ZeroMQ routing identities (ROUTER sockets) or the topic (iopub). */
  identities: Buffer[];
  header: Header;
  parent_header: Partial<Header>;
  metadata: JsonObject;
  content: Content;
  buffers: Buffer[];
}

export type ReplyStatus = "ok" | "error" | "aborted";

/** The error fields shared by error replies and `error` iopub messages. */
export interface ErrorContent extends JsonObject {
  ename: string;
  evalue: string;
  traceback: string[];
}

export interface ExecuteRequest extends JsonObject {
  code: string;
  silent?: boolean;
  store_history?: boolean;
  user_expressions?: Record<string, string>;
  allow_stdin?: boolean;
  stop_on_error?: boolean;
}

export interface CompleteRequest extends JsonObject {
  code: string;
  /** Cursor position in Unicode code points (spec 5.2+). */
  cursor_pos: number;
}

export interface InspectRequest extends JsonObject {
  code: string;
  cursor_pos: number;
  detail_level?: 0 | 1;
}

export interface HistoryRequest extends JsonObject {
  output?: boolean;
  raw?: boolean;
  hist_access_type: "range" | "tail" | "search";
  session?: number;
  start?: number;
  stop?: number;
  n?: number;
  pattern?: string;
  unique?: boolean;
}

export interface CommOpen extends JsonObject {
  comm_id: string;
  target_name: string;
  data: JsonObject;
  target_module?: string;
}

export interface CommMsg extends JsonObject {
  comm_id: string;
  data: JsonObject;
}
