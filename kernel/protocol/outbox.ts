/**
 * Outgoing messages of the kernel: replies on the socket a request came from,
 * publications on iopub (with their topic), and busy/idle status.
 */
import type { Channel, JsonObject, Message } from "./messages";
import type { Session } from "./session";

/** Sends a message on a channel (the server signs and routes it). */
export type SendFunction = (channel: Channel, message: Message) => void;

export class Outbox {
  constructor(private readonly session: Session, private readonly send: SendFunction) {}

  /** Publishes on iopub; `parent` is the request that caused it (none for kernel-wide news). */
  publish(parent: Message | undefined, msgType: string, content: JsonObject, metadata: JsonObject = {}, buffers: Buffer[] = []): void {
    const message = this.session.reply(undefined, msgType, content, metadata, buffers);
    message.parent_header = parent ? parent.header : {};
    message.identities = [Buffer.from(`kernel.${this.session.id}.${msgType}`)];
    this.send("iopub", message);
  }

  /** Answers `request` on `channel` (its identities route it back to the asker). */
  reply(channel: Channel, request: Message, msgType: string, content: JsonObject, metadata: JsonObject = {}): void {
    this.send(channel, this.session.reply(request, msgType, content, metadata));
  }

  /** Publishes the kernel's execution state, caused by `parent`. */
  status(parent: Message | undefined, state: "starting" | "busy" | "idle"): void {
    this.publish(parent, "status", { execution_state: state });
  }

  /** Greets a new iopub subscriber (protocol 5.5, JEP 65). */
  welcome(topic: Buffer): void {
    const message = this.session.reply(undefined, "iopub_welcome", { subscription: topic.toString("utf8") });
    message.identities = [topic];
    this.send("iopub", message);
  }
}
