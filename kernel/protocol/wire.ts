/**
 * The Jupyter wire format: multipart ZeroMQ frames
 *   [identities..., "<IDS|MSG>", signature, header, parent_header, metadata, content, buffers...]
 * and its HMAC signature (spec "The Wire Protocol").
 *
 * Threat model: anyone who can reach the kernel's ports could run code. The
 * signature (HMAC over the four JSON frames with the connection file's key) is
 * the only barrier, so every incoming message is verified with a constant-time
 * comparison, and a message with a missing or wrong signature is dropped before
 * its content is even parsed. Binary buffers are not signed (per the spec).
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type { Header, JsonObject, Message } from "./messages";

const DELIMITER = Buffer.from("<IDS|MSG>");

/** Why an incoming message was rejected; the kernel logs it and moves on. */
export class WireError extends Error {
  override name = "WireError";
}

/** Signs and verifies message frames with the connection's key and scheme. */
export class Signer {
  private readonly key: Buffer;
  private readonly algorithm: string | undefined;

  /** `scheme` is the connection file's `signature_scheme`, e.g. "hmac-sha256". */
  constructor(key: string, scheme = "hmac-sha256") {
    this.key = Buffer.from(key, "utf8");
    if (this.key.length === 0) {
      this.algorithm = undefined; // The spec allows an empty key: signing disabled.
      return;
    }
    const match = /^hmac-(.+)$/.exec(scheme);
    if (!match) throw new WireError(`unsupported signature_scheme "${scheme}" (expected hmac-<digest>, e.g. hmac-sha256)`);
    this.algorithm = match[1]!;
  }

  /** Hex HMAC of the four JSON frames, or "" when signing is disabled. */
  sign(frames: readonly Buffer[]): string {
    if (!this.algorithm) return "";
    const hmac = createHmac(this.algorithm, this.key);
    for (const frame of frames) hmac.update(frame);
    return hmac.digest("hex");
  }

  /** Constant-time check of a received signature. */
  verify(signature: Buffer, frames: readonly Buffer[]): boolean {
    if (!this.algorithm) return true;
    const expected = Buffer.from(this.sign(frames), "utf8");
    return signature.length === expected.length && timingSafeEqual(signature, expected);
  }
}

function parseJsonFrame(frame: Buffer, name: string): JsonObject {
  let value: unknown;
  try {
    value = JSON.parse(frame.toString("utf8"));
  } catch (error) {
    throw new WireError(`${name} frame is not JSON: ${(error as Error).message}`);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new WireError(`${name} frame must be a JSON object`);
  }
  return value as JsonObject;
}

/** Decodes and verifies one multipart message; throws WireError when it must be dropped. */
export function decodeMessage(frames: readonly Buffer[], signer: Signer): Message {
  const delimiterIndex = frames.findIndex((frame) => frame.equals(DELIMITER));
  if (delimiterIndex < 0) throw new WireError("no <IDS|MSG> delimiter frame");
  if (frames.length < delimiterIndex + 6) throw new WireError(`expected at least 5 frames after the delimiter, got ${frames.length - delimiterIndex - 1}`);
  const signature = frames[delimiterIndex + 1]!;
  const jsonFrames = frames.slice(delimiterIndex + 2, delimiterIndex + 6);
  if (!signer.verify(signature, jsonFrames)) throw new WireError("bad or missing signature");
  const header = parseJsonFrame(jsonFrames[0]!, "header");
  if (typeof header.msg_type !== "string" || typeof header.msg_id !== "string") {
    throw new WireError("header lacks msg_type or msg_id");
  }
  return {
    identities: frames.slice(0, delimiterIndex),
    header: header as Header,
    parent_header: parseJsonFrame(jsonFrames[1]!, "parent_header") as Partial<Header>,
    metadata: parseJsonFrame(jsonFrames[2]!, "metadata"),
    content: parseJsonFrame(jsonFrames[3]!, "content"),
    buffers: frames.slice(delimiterIndex + 6),
  };
}

/** Encodes and signs one message into multipart frames. */
export function encodeMessage(message: Message, signer: Signer): Buffer[] {
  const jsonFrames = [message.header, message.parent_header, message.metadata, message.content].map((part) =>
    Buffer.from(JSON.stringify(part), "utf8"),
  );
  return [...message.identities, DELIMITER, Buffer.from(signer.sign(jsonFrames), "utf8"), ...jsonFrames, ...message.buffers];
}
