/** Debug Adapter Protocol messages as the Jupyter debug protocol carries them (debug_request, debug_reply, debug_event). */
export interface DapRequest {
  seq: number;
  type: "request";
  command: string;
  arguments?: Record<string, unknown>;
}

export interface DapResponse {
  seq: number;
  type: "response";
  request_seq: number;
  success: boolean;
  command: string;
  message?: string;
  body?: Record<string, unknown>;
}

export interface DapEvent {
  seq: number;
  type: "event";
  event: string;
  body: Record<string, unknown>;
}
