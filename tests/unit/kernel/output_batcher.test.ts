import assert from "node:assert/strict";
import { mock, test } from "node:test";
import { OutputBatcher } from "../../../kernel/protocol/output_batcher";
import { Session } from "../../../kernel/protocol/session";

const parent = new Session().reply(undefined, "execute_request", {});

test("many small writes become one stream message when the flush timer fires, text intact", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const sent: { name: string; text: string }[] = [];
    const batcher = new OutputBatcher((_, name, text) => sent.push({ name, text }));
    batcher.startExecution(parent);
    for (let i = 0; i < 1000; i++) batcher.add(parent, "stdout", `${i}\n`);
    assert.equal(sent.length, 0, "a write is not sent on its own");
    mock.timers.tick(1000);
    assert.equal(sent.length, 1, `${sent.length} messages`);
    batcher.finishExecution();
    assert.equal(sent.length, 1, "nothing left to send at the end");
    assert.equal(sent.map((m) => m.text).join(""), Array.from({ length: 1000 }, (_, i) => `${i}\n`).join(""));
  } finally {
    mock.timers.reset();
  }
});

test("what is still buffered when the execution finishes is sent then, without waiting for the timer", () => {
  mock.timers.enable({ apis: ["setTimeout"] });
  try {
    const sent: string[] = [];
    const batcher = new OutputBatcher((_, __, text) => sent.push(text));
    batcher.startExecution(parent);
    batcher.add(parent, "stdout", "a");
    batcher.add(parent, "stdout", "b");
    batcher.finishExecution();
    assert.deepEqual(sent, ["ab"]);
    mock.timers.tick(1000);
    assert.deepEqual(sent, ["ab"], "the timer does not send it twice");
  } finally {
    mock.timers.reset();
  }
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
