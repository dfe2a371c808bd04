import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { median, summarise, time } from "../../../kernel/tensor/index.js";

test("median and spread of run times", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.ok(Number.isNaN(median([])));
  assert.deepEqual(summarise([5, 1, 3]), { medianMs: 3, minMs: 1, maxMs: 5, samplesMs: [5, 1, 3], repeats: 3 });
});

test("time() runs warm-up plus repeats, times only the repeats, and disposes returned tensors", async () => {
  await tf.setBackend("cpu");
  const before = tf.memory().numTensors;
  let calls = 0;
  const result = await time(
    () => {
      calls++;
      return tf.tidy(() => [tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])), { loss: tf.scalar(1) }]);
    },
    { warmup: 2, repeats: 3 },
  );
  assert.equal(calls, 5);
  assert.equal(result.repeats, 3);
  assert.equal(result.samplesMs.length, 3);
  assert.ok(result.minMs <= result.medianMs && result.medianMs <= result.maxMs);
  assert.equal(tf.memory().numTensors, before, "no tensor leaks from timed runs");
});

test("time() waits for asynchronous work before reading the clock", async () => {
  const result = await time(() => new Promise((resolve) => setTimeout(resolve, 20)), { warmup: 0, repeats: 2 });
  assert.ok(result.minMs >= 15, `an awaited 20 ms timer measured ${result.minMs} ms`);
});

test("time() rejects bad repeat counts", async () => {
  await assert.rejects(time(() => 0, { repeats: 0 }), /repeats must be a whole number >= 1, got 0/);
  await assert.rejects(time(() => 0, { warmup: -1 }), /warmup must be a whole number >= 0/);
});

test("a failing run still disposes what it returned", async () => {
  await tf.setBackend("cpu");
  const before = tf.memory().numTensors;
  await assert.rejects(time(() => { throw new Error("step failed"); }), /step failed/);
  assert.equal(tf.memory().numTensors, before);
});
