/**
 * Builds outgoing messages: fresh header (msg_id, session, `date` always set),
 * parent header linking a reply to its request.
 */
import { randomUUID } from "node:crypto";
import { PROTOCOL_VERSION, type Header, type JsonObject, type Message } from "./messages";

export class Session {
  readonly id = randomUUID();
  constructor(private readonly username = "tsgpu") {}

  header(msgType: string): Header {
    return {
      msg_id: randomUUID(),
      session: this.id,
      username: this.username,
      date: new Date().toISOString(),
      msg_type: msgType,
      version: PROTOCOL_VERSION,
    };
  }

  /** A message answering or caused by `parent` (identities copied for ROUTER replies). */
  reply<C extends JsonObject>(parent: Message | undefined, msgType: string, content: C, metadata: JsonObject = {}, buffers: Buffer[] = []): Message<C> {
    return {
      identities: parent ? parent.identities : [],
      header: this.header(msgType),
      parent_header: parent ? parent.header : {},
      metadata,
      content,
      buffers,
    };
  }
}
