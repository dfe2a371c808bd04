/**
 * The GPT's fused cpu-blas kernels (kernel/fused/gpt/) against the plain-tfjs reference ops of
 * kernel/gpt/ops.ts (TSGPU_FUSED_GPT=0 forces those), values and gradients, on odd shapes;
 * then a tiny model's fit with and without them.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { GptKernelInputError } from "../../../kernel/fused/gpt/index.js";
import { create } from "../../../kernel/gpt/index.js";
import { adamw, biasGelu, causalSelfAttention, embeddingLookup, layerNorm, useFusedKernel, vocabCrossEntropy } from "../../../kernel/gpt/ops.js";
import { assertFitReadsOncePerEpoch } from "../gpt/fit_readbacks.js";
import { skipReason } from "./compare.js";

/** Runs `fn` with fused GPT kernels on or off. */
function withFused<T>(on: boolean, fn: () => T): T {
  const before = process.env["TSGPU_FUSED_GPT"];
  process.env["TSGPU_FUSED_GPT"] = on ? "1" : "0";
  try {
    return fn();
  } finally {
    if (before === undefined) delete process.env["TSGPU_FUSED_GPT"];
    else process.env["TSGPU_FUSED_GPT"] = before;
  }
}

/** |a - e| <= atol + rtol |e|, shapes and dtypes first, NaN/Inf exactly. */
function assertClose(actual: tf.Tensor, expected: tf.Tensor, atol: number, rtol: number, what: string): void {
  assert.deepEqual(actual.shape, expected.shape, `${what}: shape`);
  assert.equal(actual.dtype, expected.dtype, `${what}: dtype`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < e.length; i++) {
    if (!Number.isFinite(e[i]!)) assert.ok(Object.is(a[i], e[i]), `${what}[${i}]: ${a[i]} vs ${e[i]}`);
    else assert.ok(Math.abs(a[i]! - e[i]!) <= atol + rtol * Math.abs(e[i]!), `${what}[${i}]: ${a[i]} vs ${e[i]}`);
  }
}

/**
 * Value and gradients of sum(op(inputs) * weights), fused vs reference. Tolerance atol 1e-5,
 * rtol 1e-3 by default: the fused kernels accumulate row sums in float64, the reference in float32.
 */
function compareFused(op: (...x: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], atol = 1e-5, rtol = 1e-3): void {
  tf.tidy(() => {
    const weights = tf.randomNormal(withFused(false, () => op(...inputs)).shape, 0, 1, "float32", 11);
    const run = (on: boolean) => withFused(on, () => tf.valueAndGrads((...x: tf.Tensor[]) => op(...x).mul(weights).sum())(inputs));
    const fused = run(true);
    const reference = run(false);
    assertClose(fused.value, reference.value, atol * 10, rtol, "value");
    fused.grads.forEach((g, i) => assertClose(g, reference.grads[i]!, atol, rtol, `gradient ${i}`));
  });
}

describe("GPT fused kernels on cpu-blas", { skip: skipReason }, () => {
  it("are registered and used on cpu-blas, and TSGPU_FUSED_GPT=0 turns them off", async () => {
    await tf.setBackend("cpu-blas");
    assert.equal(useFusedKernel("TsgpuLayerNorm"), true);
    assert.equal(withFused(false, () => useFusedKernel("TsgpuLayerNorm")), false);
  });

  it("layerNorm matches the reference, value and gradients, on odd shapes and one row", async () => {
    await tf.setBackend("cpu-blas");
    for (const shape of [[2, 3, 7], [1, 1, 5], [13, 33]]) {
      const c = shape[shape.length - 1]!;
      const [x, w, b] = [tf.randomNormal(shape, 0.5, 2, "float32", 1), tf.randomNormal([c], 1, 0.3, "float32", 2), tf.randomNormal([c], 0, 0.3, "float32", 3)];
      compareFused((xx, ww, bb) => layerNorm(xx!, ww!, bb!, 1e-5), [x, w, b]);
      tf.dispose([x, w, b]);
    }
  });

  it("biasGelu matches the reference, value and gradients", async () => {
    await tf.setBackend("cpu-blas");
    for (const shape of [[3, 5, 11], [1, 1, 1], [7, 64]]) {
      const x = tf.randomNormal(shape, 0, 2, "float32", 4);
      const b = tf.randomNormal([shape[shape.length - 1]!], 0, 0.5, "float32", 5);
      compareFused((xx, bb) => biasGelu(xx!, bb!), [x, b]);
      tf.dispose([x, b]);
    }
  });

  it("causal attention from qkv matches the reference (odd sizes, one head, one position, batch 1)", async () => {
    await tf.setBackend("cpu-blas");
    for (const [batch, time, heads, d] of [[2, 5, 2, 3], [1, 1, 1, 4], [1, 9, 1, 7], [3, 17, 4, 5]] as const) {
      const qkv = tf.randomNormal([batch, time, 3 * heads * d], 0, 1, "float32", 6);
      compareFused((x) => causalSelfAttention(x!, { heads, keepCache: false }).output, [qkv]);
      tf.dispose(qkv);
    }
  });

  it("causal attention with dropout fused matches the reference's dropout(probs) (same mask; odd sizes, batch 1, one position)", async () => {
    await tf.setBackend("cpu-blas");
    for (const [batch, time, heads, d, rate, seed] of [[2, 5, 2, 3, 0.2, 9], [1, 9, 1, 7, 0.5, 3_000_000_001], [3, 1, 2, 5, 0.1, 4], [1, 17, 3, 5, 0.3, 77]] as const) {
      const qkv = tf.randomNormal([batch, time, 3 * heads * d], 0, 1, "float32", 6);
      compareFused((x) => causalSelfAttention(x!, { heads, keepCache: false, dropout: rate, seed }).output, [qkv]);
      tf.dispose(qkv);
    }
  });

  it("causal attention's dropout repeats for a seed, differs between seeds and changes the output", async () => {
    await tf.setBackend("cpu-blas");
    tf.tidy(() => {
      const qkv = tf.randomNormal([2, 16, 3 * 8], 0, 1, "float32", 6);
      const out = (seed: number) => Array.from(causalSelfAttention(qkv, { heads: 2, keepCache: false, dropout: 0.5, seed }).output.dataSync());
      const plain = Array.from(causalSelfAttention(qkv, { heads: 2, keepCache: false }).output.dataSync());
      assert.deepEqual(out(1), out(1));
      assert.notDeepEqual(out(1), out(2));
      assert.notDeepEqual(out(1), plain);
    });
  });

  it("the embedding gradient is a scatter-add matching onehot^T @ dy, repeated ids included", async () => {
    await tf.setBackend("cpu-blas");
    const table = tf.randomNormal([11, 6], 0, 1, "float32", 7);
    const ids = tf.tensor2d([[1, 3, 3], [10, 0, 1]], [2, 3], "int32");
    compareFused((t) => embeddingLookup(t!, ids), [table]);
    tf.dispose([table, ids]);
  });

  it("vocabCrossEntropy matches the reference, loss and gradient, with large logits", async () => {
    await tf.setBackend("cpu-blas");
    for (const [rows, vocab] of [[1, 2], [5, 7], [9, 301]] as const) {
      const logits = tf.randomNormal([rows, vocab], 0, 30, "float32", 8);
      const targets = tf.tensor1d(Array.from({ length: rows }, (_, i) => (i * 7) % vocab), "int32");
      compareFused((l) => vocabCrossEntropy(l!, targets).mul(2.5), [logits]);
      compareFused((l) => vocabCrossEntropy(l!, targets), [logits]);
      tf.dispose([logits, targets]);
    }
  });

  it("rejects out-of-range ids and targets with an actionable error", async () => {
    await tf.setBackend("cpu-blas");
    const logits = tf.zeros([2, 4]);
    const targets = tf.tensor1d([1, 4], "int32");
    assert.throws(() => vocabCrossEntropy(logits, targets), (e: Error) => e instanceof GptKernelInputError && /targets\[1\] = 4 is outside \[0, 4\)/.test(e.message));
    const dy = tf.zeros([2, 2]);
    const ids = tf.tensor1d([0, 5], "int32");
    assert.throws(() => tf.engine().runKernel("TsgpuEmbeddingGrad", { dy, ids }, { vocab: 3 }), /ids\[1\] = 5 is outside \[0, 3\)/);
    tf.dispose([logits, targets, dy, ids]);
  });

  it("AdamW matches the reference, with and without decay and a gradient scale", async () => {
    await tf.setBackend("cpu-blas");
    for (const weightDecay of [0, 0.1]) {
      const result = (on: boolean) =>
        withFused(on, () => {
          const p = tf.variable(tf.randomNormal([5, 3], 0, 1, "float32", 9));
          const m = tf.variable(tf.randomNormal([5, 3], 0, 0.1, "float32", 10));
          const v = tf.variable(tf.randomUniform([5, 3], 0, 0.1, "float32", 11));
          const g = tf.randomNormal([5, 3], 0, 1, "float32", 12);
          adamw(p, g, m, v, { learningRate: 1e-2, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay, step: 3, gradScale: 0.5 });
          const out = [p, m, v].map((t) => t.clone());
          tf.dispose([p, m, v, g]);
          return out;
        });
      const fused = result(true);
      const reference = result(false);
      fused.forEach((t, i) => assertClose(t, reference[i]!, 1e-6, 1e-4, `adamw ${i}`));
      tf.dispose([...fused, ...reference]);
    }
  });

  it("AdamW takes the clipping scale as a device tensor, as the number would give", async () => {
    await tf.setBackend("cpu-blas");
    const result = (scale: number | tf.Tensor) => {
      const p = tf.variable(tf.randomNormal([4, 7], 0, 1, "float32", 9));
      const m = tf.variable(tf.zeros([4, 7]));
      const v = tf.variable(tf.zeros([4, 7]));
      const g = tf.randomNormal([4, 7], 0, 1, "float32", 12);
      adamw(p, g, m, v, { learningRate: 1e-2, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay: 0.1, step: 1, gradScale: scale });
      const out = [p, m, v].map((t) => t.clone());
      tf.dispose([p, m, v, g]);
      return out;
    };
    const scale = tf.scalar(0.25);
    const byTensor = result(scale);
    const byNumber = result(0.25);
    const unscaled = result(1);
    byTensor.forEach((t, i) => assertClose(t, byNumber[i]!, 0, 0, `adamw ${i}`));
    assert.notDeepEqual(Array.from(byTensor[1]!.dataSync()), Array.from(unscaled[1]!.dataSync()), "the scale changes the moments");
    tf.dispose([scale, ...byTensor, ...byNumber, ...unscaled]);
  });

  it("queues training steps without host reads: one read of the losses per epoch and per validation, one per step only for onBatchEnd", async () => {
    await tf.setBackend("cpu-blas");
    await assertFitReadsOncePerEpoch();
  });

  it("a tiny GPT's fit gives the same loss curve fused and unfused, and leaks no tensors", async () => {
    await tf.setBackend("cpu-blas");
    const tokens = Array.from({ length: 200 }, (_, i) => (i * 7 + (i >> 3)) % 41);
    const losses: number[][] = [];
    for (const on of [true, false]) {
      const model = create({ vocabSize: 41, contextLength: 8, layers: 2, heads: 2, embedding: 12, dropout: 0, seed: 3 });
      process.env["TSGPU_FUSED_GPT"] = on ? "1" : "0";
      try {
        const history = await model.fit(tokens, { batchSize: 3, contextLength: 8, steps: 4, learningRate: 1e-2, seed: 5 });
        // The first fit creates AdamW's moments; a second one must leave the count as it was.
        const before = tf.memory().numTensors;
        await model.fit(tokens, { batchSize: 3, contextLength: 8, steps: 2, seed: 6 });
        assert.equal(tf.memory().numTensors, before, `fused ${on}: tensors leaked`);
        losses.push(history.loss);
      } finally {
        delete process.env["TSGPU_FUSED_GPT"];
      }
      model.dispose();
    }
    losses[0]!.forEach((l, i) => assert.ok(Math.abs(l - losses[1]![i]!) <= 1e-4 + 1e-4 * Math.abs(losses[1]![i]!), `step ${i}: ${l} vs ${losses[1]![i]}`));
  });
});
