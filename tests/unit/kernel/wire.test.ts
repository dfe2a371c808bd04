import assert from "node:assert/strict";
import { test } from "node:test";
import { decodeMessage, encodeMessage, Signer, WireError } from "../../../kernel/protocol/wire";
import { Session } from "../../../kernel/protocol/session";

const session = new Session();
const message = () => session.reply(undefined, "execute_request", { code: "1 + 1" });

test("a signed message decodes to the same header and content", () => {
  const signer = new Signer("secret");
  const sent = message();
  sent.identities = [Buffer.from("client-1")];
  const received = decodeMessage(encodeMessage(sent, signer), signer);
  assert.deepEqual(received.header, sent.header);
  assert.deepEqual(received.content, { code: "1 + 1" });
  assert.deepEqual(received.identities, [Buffer.from("client-1")]);
});

test("rejects a message signed with another key", () => {
  const frames = encodeMessage(message(), new Signer("attacker"));
  assert.throws(() => decodeMessage(frames, new Signer("secret")), WireError);
});

test("rejects an unsigned message when the connection has a key", () => {
  const frames = encodeMessage(message(), new Signer(""));
  assert.throws(() => decodeMessage(frames, new Signer("secret")), /signature/);
});

test("rejects content changed after signing", () => {
  const signer = new Signer("secret");
  const frames = encodeMessage(message(), signer);
  const delimiter = frames.findIndex((f) => f.toString() === "<IDS|MSG>");
  frames[delimiter + 5] = Buffer.from(JSON.stringify({ code: "process.exit()" }));
  assert.throws(() => decodeMessage(frames, signer), /signature/);
});

test("binary buffers are not part of the signature, as the spec says", () => {
  const signer = new Signer("secret");
  const sent = message();
  sent.buffers = [Buffer.from([1, 2, 3])];
  const frames = encodeMessage(sent, signer);
  frames[frames.length - 1] = Buffer.from([9, 9]);
  assert.deepEqual(decodeMessage(frames, signer).buffers, [Buffer.from([9, 9])]);
});

test("names what is wrong with malformed frames", () => {
  const signer = new Signer("");
  assert.throws(() => decodeMessage([Buffer.from("no delimiter")], signer), /delimiter/);
  assert.throws(() => decodeMessage([Buffer.from("<IDS|MSG>"), Buffer.from("")], signer), /at least 5 frames/);
  const frames = encodeMessage(message(), signer);
  frames[frames.length - 1] = Buffer.from("{not json");
  assert.throws(() => decodeMessage(frames, signer), /content frame is not JSON/);
});

test("every header carries a date", () => {
  assert.match(message().header.date, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
});

test("refuses an unknown signature scheme", () => {
  assert.throws(() => new Signer("k", "rsa-sha1"), /signature_scheme/);
});
