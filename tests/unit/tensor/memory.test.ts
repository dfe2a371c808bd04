import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { toMimeBundle } from "../../../kernel/runtime/display.js";
import { describeOutOfMemory, memory, OutOfMemoryError, withOutOfMemoryReport } from "../../../kernel/tensor/index.js";

test("a hand-written training loop keeps the tensor count steady across epochs", async () => {
  await tf.setBackend("cpu");
  const w = tf.variable(tf.randomNormal([6, 1], 0, 0.1, "float32", 1));
  const b = tf.variable(tf.zeros([1]));
  const optimizer = tf.train.adam(0.05);
  const xs = tf.randomNormal([64, 6], 0, 1, "float32", 2);
  const ys = tf.tidy(() => xs.sum(1, true));
  const counts: number[] = [];
  for (let epoch = 0; epoch < 5; epoch++) {
    for (let step = 0; step < 4; step++) {
      const loss = optimizer.minimize(() => tf.losses.meanSquaredError(ys, xs.matMul(w).add(b)), true)!;
      await loss.data();
      loss.dispose();
    }
    counts.push(memory().numTensors);
  }
  assert.equal(new Set(counts.slice(1)).size, 1, `tensor counts per epoch: ${counts.join(", ")}`);
  optimizer.dispose();
  tf.dispose([w, b, xs, ys]);
});

test("memory() reports tfjs's counts and displays as text", async () => {
  await tf.setBackend("cpu");
  const t = tf.ones([5, 5]);
  const m = memory();
  assert.equal(m.backend, "cpu");
  assert.ok(m.numTensors >= 1 && m.numBytes >= 100);
  assert.match(toMimeBundle(m)["text/plain"] as string, /^\d+ tensors, [\d.]+ (B|KiB|MiB) on cpu/);
  t.dispose();
});

test("an allocation too large for the CPU backend becomes an OutOfMemoryError naming the size and what is free", async () => {
  await tf.setBackend("cpu");
  let error: unknown;
  try {
    await withOutOfMemoryReport(() => tf.ones([2 ** 17, 2 ** 17])); // 16 Gi elements: more than a typed array may hold
  } catch (e) {
    error = e;
  }
  assert.ok(error instanceof OutOfMemoryError, `got ${String(error)}`);
  assert.equal(error.backend, "cpu");
  assert.ok(error.freeBytes! > 0);
  assert.match(error.message, /out of memory on backend "cpu": an array of 17,179,869,184 elements was asked for \(64\.0 GiB as float32\)/);
  assert.match(error.message, /GiB free\. Use smaller batches/);
});

test("other errors are not mistaken for out-of-memory", () => {
  assert.equal(describeOutOfMemory(new Error("shapes do not match")), undefined);
  assert.equal(describeOutOfMemory("not an error"), undefined);
  const oom = new OutOfMemoryError("cuda", 1 << 30, 1 << 20, "cudaMalloc failed");
  assert.equal(describeOutOfMemory(oom), oom);
  assert.match(oom.message, /asked for 1\.0 GiB; 1\.0 MiB free/);
});

test("a backend's own out-of-memory error passes through unwrapped, its advice said once", () => {
  class CudaOutOfMemoryError extends Error {
    override name = "CudaOutOfMemoryError";
  }
  const own = new CudaOutOfMemoryError("CUDA out of memory: tried to allocate 128 MiB; the GPU has 64.0 MiB free of 64.0 MiB. Use a smaller batch.");
  assert.equal(describeOutOfMemory(own), own);
});
