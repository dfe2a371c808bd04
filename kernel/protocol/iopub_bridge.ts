/**
 * From the cells to the front end: turns what the execution side reports
 * (printed text, displays, comm traffic, input requests, restarts) into iopub
 * messages and stdin input_requests, each with the right parent. Printed text
 * is batched (OutputBatcher) and flushed before every other message, so output
 * keeps its order.
 */
import type { ExecutionEvents } from "../executor/cell_executor";
import type { ChildToHost } from "../executor/child_protocol";
import type { StreamName } from "../executor/execution_host";
import type { JsonObject, Message } from "./messages";
import { OutputBatcher } from "./output_batcher";
import type { Outbox } from "./outbox";

export class IopubBridge implements ExecutionEvents {
  readonly output: OutputBatcher;
  /** Parent of output that arrives now: the running request, else the last one. */
  parent: Message | undefined;
  /** The stdin prompt waiting for an input_reply, if any. */
  private pendingInput: ((value: string | null) => void) | undefined;

  constructor(private readonly outbox: Outbox) {
    this.output = new OutputBatcher((parent, name, text) => this.outbox.publish(parent, "stream", { name, text }));
  }

  /** An execute_request starts: its output is parented to it and counted against its limit. */
  startExecution(request: Message): void {
    this.parent = request;
    this.output.startExecution(request);
  }

  stream(name: StreamName, text: string): void {
    this.output.add(this.parent, name, text);
  }

  message(message: ChildToHost): void {
    this.output.flush();
    const parent = this.parent;
    switch (message.type) {
      case "display": {
        const content: JsonObject = { data: message.data, metadata: message.metadata, transient: message.displayId ? { display_id: message.displayId } : {} };
        this.outbox.publish(parent, message.update ? "update_display_data" : "display_data", content);
        break;
      }
      case "clear_output":
        this.outbox.publish(parent, "clear_output", { wait: message.wait });
        break;
      case "comm_open":
        this.outbox.publish(parent, "comm_open", { comm_id: message.commId, target_name: message.targetName, data: message.data }, message.metadata);
        break;
      case "comm_msg":
        this.outbox.publish(parent, "comm_msg", { comm_id: message.commId, data: message.data }, message.metadata, message.buffers.map((b) => Buffer.from(b)));
        break;
      case "comm_close":
        this.outbox.publish(parent, "comm_close", { comm_id: message.commId, data: message.data }, message.metadata);
        break;
      case "comm_open_rejected":
        this.outbox.publish(parent, "comm_close", { comm_id: message.commId, data: { error: `no comm target "${message.targetName}" is registered in this kernel` } });
        break;
    }
  }

  /** Sends input_request on stdin, parented to the running execute_request. */
  input(prompt: string, password: boolean, answer: (value: string | null) => void): void {
    const request = this.parent;
    if (!request) {
      answer(null);
      return;
    }
    this.output.flush();
    this.pendingInput = answer;
    this.outbox.reply("stdin", request, "input_request", { prompt, password });
  }

  restarted(note: string, cellFailed: boolean): void {
    this.output.flush();
    if (!cellFailed) this.outbox.publish(this.parent, "stream", { name: "stderr", text: `[tsgpu] ${note}\n` });
    this.cancelInput();
  }

  /** Cancels the prompt waiting for an answer (interrupt, restart). */
  cancelInput(): void {
    this.pendingInput?.(null);
    this.pendingInput = undefined;
  }

  /** An input_reply arrived on stdin: answers the waiting prompt; false when none was waiting. */
  onInputReply(message: Message): boolean {
    const pending = this.pendingInput;
    if (!pending) return false;
    this.pendingInput = undefined;
    const value = message.content.value;
    pending(typeof value === "string" ? value : "");
    return true;
  }
}
