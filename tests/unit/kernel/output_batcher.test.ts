import assert from "node:assert/strict";
import { test } from "node:test";
import { setTimeout as sleep } from "node:timers/promises";
import { OutputBatcher } from "../../../kernel/protocol/output_batcher";
import { Session } from "../../../kernel/protocol/session";

const parent = new Session().reply(undefined, "execute_request", {});

test("many small writes become few stream messages, text intact", async () => {
  const sent: { name: string; text: string }[] = [];
  const batcher = new OutputBatcher((_, name, text) => sent.push({ name, text }));
  batcher.startExecution(parent);
  for (let i = 0; i < 1000; i++) batcher.add(parent, "stdout", `${i}\n`);
  await sleep(20);
  batcher.finishExecution();
  assert.ok(sent.length <= 2, `${sent.length} messages`);
  assert.equal(sent.map((m) => m.text).join(""), Array.from({ length: 1000 }, (_, i) => `${i}\n`).join(""));
});

test("output past the limit is dropped with a note that says how much", () => {
  const sent: { name: string; text: string }[] = [];
  const batcher = new OutputBatcher((_, name, text) => sent.push({ name, text }), 1000);
  batcher.startExecution(parent);
  for (let i = 0; i < 100; i++) batcher.add(parent, "stdout", "x".repeat(100));
  batcher.finishExecution();
  const text = sent.filter((m) => m.name === "stdout").map((m) => m.text).join("");
  assert.equal(text.split("x").length - 1, 1000);
  assert.match(text, /output truncated: .* more of stdout/);
});

test("the limit restarts with each execution", () => {
  const sent: string[] = [];
  const batcher = new OutputBatcher((_, __, text) => sent.push(text), 10);
  batcher.startExecution(parent);
  batcher.add(parent, "stdout", "0123456789");
  batcher.finishExecution();
  batcher.startExecution(parent);
  batcher.add(parent, "stdout", "abcdefghij");
  batcher.finishExecution();
  assert.deepEqual(sent, ["0123456789", "abcdefghij"]);
});
