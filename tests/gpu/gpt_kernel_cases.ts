/**
 * The kernels a GPT step calls (traced on the cpu backend, listed in
 * docs/cuda-backend.md), at the shapes the GPT calls them with: attention's
 * rank-4 batched matmuls and [0, 2, 1, 3] transposes, the QKV split, the KV
 * cache's concat, softmax over rank 4, the embedding gather and its one-hot
 * gradient, and the reference ops of kernel/gpt/ops.ts forward and backward.
 * Odd sizes, batch 1, zero-size. Checked against tfjs's cpu backend by
 * {@link checkCase} (tests/unit/cuda/gpt_kernels.test.ts on the emulator,
 * tests/gpu on a GPU).
 */
import * as tf from "@tensorflow/tfjs";
import { adamw, biasGelu, causalSelfAttention, dropout, embeddingLookup, layerNorm, vocabCrossEntropy } from "../../kernel/gpt/ops";
import type { KernelCase } from "./kernel_cases";
import { floats, type InputSpec, ints } from "./reference";

export const GPT_KERNEL_CASES: KernelCase[] = [];
const add = (kernel: string, label: string, inputs: InputSpec[], run: KernelCase["run"], tolerance: { atol?: number; rtol?: number } = {}) =>
  GPT_KERNEL_CASES.push({ kernel, label, inputs, run, ...tolerance });
const loose = { atol: 1e-5, rtol: 1e-4 };

// Attention: q k^T and probs v over [batch, heads, time, headSize], the head split and merge.
add("BatchMatMul", "rank 4 q k^T [2, 3, 5, 4] x [2, 3, 7, 4] transposeB", [floats([2, 3, 5, 4]), floats([2, 3, 7, 4])], (q, k) => tf.matMul(q, k, false, true), loose);
add("BatchMatMul", "rank 4 probs v [1, 3, 5, 7] x [1, 3, 7, 4], batch 1", [floats([1, 3, 5, 7]), floats([1, 3, 7, 4])], (p, v) => tf.matMul(p, v), loose);
add("BatchMatMul", "rank 4 broadcast [2, 3, 5, 4] x [1, 1, 4, 6]", [floats([2, 3, 5, 4]), floats([1, 1, 4, 6])], (a, b) => tf.matMul(a, b), loose);
add("BatchMatMul", "rank 4 transposeA (a gradient) [2, 3, 7, 5] x [2, 3, 7, 4]", [floats([2, 3, 7, 5]), floats([2, 3, 7, 4])], (a, b) => tf.matMul(a, b, true, false), loose);
add("BatchMatMul", "zero-size batch [0, 3, 5, 4] x [0, 3, 4, 2]", [floats([0, 3, 5, 4]), floats([0, 3, 4, 2])], (a, b) => tf.matMul(a, b));
add("Transpose", "heads split [2, 5, 3, 4] perm [0, 2, 1, 3]", [floats([2, 5, 3, 4])], (x) => tf.transpose(x, [0, 2, 1, 3]));
add("Transpose", "zero-size [0, 5, 3, 4] perm [0, 2, 1, 3]", [floats([0, 5, 3, 4])], (x) => tf.transpose(x, [0, 2, 1, 3]));
add("SplitV", "qkv [2, 5, 3 x 12] into three on axis 2", [floats([2, 5, 36])], (x) => tf.split(x, 3, 2));
add("Concat", "KV cache [1, 3, 6, 4] + [1, 3, 1, 4] on axis 2", [floats([1, 3, 6, 4]), floats([1, 3, 1, 4])], (a, b) => tf.concat([a, b], 2));
add("Softmax", "masked scores rank 4 [2, 3, 5, 5] with -1e9", [floats([2, 3, 5, 5], -4, 4), { values: Array.from({ length: 25 }, (_, i) => (i % 5 > Math.floor(i / 5) ? -1e9 : 0)), shape: [5, 5], dtype: "float32" }],
  (s, mask) => tf.softmax(tf.add(s, mask)), loose);
add("Max", "rows of logits [7, 37] keepDims", [floats([7, 37], -10, 10)], (x) => tf.max(x, -1, true));
add("Floor", "dropout's mask keep + uniform", [floats([3, 5, 5], 0.9, 1.9)], (x) => tf.floor(x));
add("Pow", "u^3 of GELU [2, 5, 48]", [floats([2, 5, 48], -4, 4)], (u) => tf.pow(u, 3), loose);
add("Tanh", "GELU's tanh [2, 5, 48]", [floats([2, 5, 48], -6, 6)], tf.tanh, loose);

// Embeddings: gather of token rows and positions, the one-hot of the gradient.
add("GatherV2", "token rows [37, 16] by ids [2, 5]", [floats([37, 16]), ints([2, 5], 0, 37)], (table, ids) => tf.gather(table, ids.reshape([-1])));
add("GatherV2", "position rows, batch 1", [floats([8, 16]), { values: [0, 1, 2], shape: [3], dtype: "int32" }], (table, ids) => tf.gather(table, ids));
add("OneHot", "ids [10] depth 37", [ints([10], 0, 37)], (ids) => tf.oneHot(ids, 37));
add("PadV2", "Slice's gradient on the last axis of [2, 5, 36]", [floats([2, 5, 36]), floats([2, 5, 12])],
  (x, dy) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.slice(v, [0, 0, 12], [2, 5, 12]), dy)))(x));

// The reference ops of kernel/gpt/ops.ts, forward and gradient.
/** `run` with the fused GPT kernels off (TSGPU_FUSED_GPT=0): the reference ops' own kernels on every backend. */
const unfused = (run: KernelCase["run"]): KernelCase["run"] => (...t) => {
  const saved = process.env["TSGPU_FUSED_GPT"];
  process.env["TSGPU_FUSED_GPT"] = "0";
  try {
    return run(...t);
  } finally {
    if (saved === undefined) delete process.env["TSGPU_FUSED_GPT"];
    else process.env["TSGPU_FUSED_GPT"] = saved;
  }
};
const withGradients = (f: (...x: tf.Tensor[]) => tf.Tensor, weights: tf.Tensor, ...x: tf.Tensor[]) => {
  const { value, grads } = tf.valueAndGrads((...v: tf.Tensor[]) => tf.sum(tf.mul(f(...v), weights)))(x);
  return [value, f(...x), ...grads];
};
add("Rsqrt", "layerNorm [2, 5, 16] with gradients, unfused", [floats([2, 5, 16], -1, 1), floats([2, 5, 16]), floats([16], 0.5, 1.5), floats([16], -0.1, 0.1)],
  unfused((w, x, g, b) => withGradients((v, gamma, beta) => layerNorm(v!, gamma!, beta!, 1e-5), w, x, g, b)), { atol: 1e-4, rtol: 1e-3 });
add("Tanh", "biasGelu [2, 5, 24] with gradients, unfused", [floats([2, 5, 24], -1, 1), floats([2, 5, 24], -3, 3), floats([24], -0.5, 0.5)],
  unfused((w, x, b) => withGradients((v, bias) => biasGelu(v!, bias!), w, x, b)), { atol: 1e-4, rtol: 1e-3 });
add("Softmax", "causalSelfAttention [2, 5, 3 x 12], 3 heads, with gradients", [floats([2, 5, 12], -1, 1), floats([2, 5, 36], -2, 2)],
  (w, qkv) => withGradients((v) => causalSelfAttention(v!, { heads: 3 }).output, w, qkv), { atol: 1e-4, rtol: 1e-3 });
add("Concat", "causalSelfAttention with a KV cache of 4 positions, batch 1", [floats([1, 1, 36], -2, 2), floats([1, 3, 4, 4]), floats([1, 3, 4, 4])],
  (qkv, key, value) => { const { output, present } = causalSelfAttention(qkv, { heads: 3, past: { key, value } }); return [output, present!.key, present!.value]; }, loose);
add("OneHot", "embeddingLookup [37, 16] by ids [2, 5], gradient through the one-hot matmul, unfused", [floats([2, 5, 16], -1, 1), floats([37, 16]), ints([2, 5], 0, 37)],
  unfused((w, table, ids) => { const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), w)))([table]); return [value, ...grads]; }), loose);
add("Max", "vocabCrossEntropy [10, 37] (logSoftmax) with its gradient, unfused", [floats([10, 37], -5, 5), ints([10], 0, 37)],
  unfused((logits, targets) => { const { value, grads } = tf.valueAndGrads((l: tf.Tensor) => vocabCrossEntropy(l, targets))([logits]); return [value, ...grads]; }), loose);

// The fused kernels (kernel/fused/gpt/) where the backend registers them, against the reference ops above on
// the cpu backend: T = 7, C = 12, 3 heads, vocab 37, batch 1 and zero-size where the contract allows it.
const grads = { atol: 1e-4, rtol: 1e-3 };
const layerNormRun = (w: tf.Tensor, x: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => withGradients((v, gamma, beta) => layerNorm(v!, gamma!, beta!, 1e-5), w, x, g, b);
const layerNormInputs = (shape: number[]) => [floats(shape, -1, 1), floats(shape, -2, 3), floats([shape.at(-1)!], 0.5, 1.5), floats([shape.at(-1)!], -0.1, 0.1)];
add("TsgpuLayerNorm", "layerNorm [1, 7, 12], batch 1", layerNormInputs([1, 7, 12]).slice(1), (x, g, b) => layerNorm(x!, g!, b!, 1e-5), loose);
add("TsgpuLayerNormGrad", "layerNorm [2, 7, 12] with gradients", layerNormInputs([2, 7, 12]), layerNormRun, grads);
add("TsgpuLayerNormGrad", "layerNorm [3, 300] (rows longer than a block) with gradients", layerNormInputs([3, 300]), layerNormRun, grads);
add("TsgpuLayerNormGrad", "layerNorm [2, 150, 5] (300 rows: the parameter gradients summed in chunks) with gradients", layerNormInputs([2, 150, 5]), layerNormRun, grads);
add("TsgpuLayerNormGrad", "layerNorm zero-size [0, 12] with gradients", layerNormInputs([0, 12]), layerNormRun);
const biasGeluRun = (w: tf.Tensor, x: tf.Tensor, b: tf.Tensor) => withGradients((v, bias) => biasGelu(v!, bias!), w, x, b);
add("TsgpuBiasGelu", "biasGelu [1, 7, 37], batch 1", [floats([1, 7, 37], -4, 4), floats([37], -0.5, 0.5)], (x, b) => biasGelu(x!, b!), loose);
add("TsgpuBiasGeluGrad", "biasGelu [2, 7, 48] with gradients", [floats([2, 7, 48], -1, 1), floats([2, 7, 48], -4, 4), floats([48], -0.5, 0.5)], biasGeluRun, grads);
add("TsgpuBiasGeluGrad", "biasGelu [300, 7] (the bias gradient summed in chunks) with gradients", [floats([300, 7], -1, 1), floats([300, 7], -4, 4), floats([7], -0.5, 0.5)], biasGeluRun, grads);
add("TsgpuBiasGeluGrad", "biasGelu zero-size [0, 12] with gradients", [floats([0, 12]), floats([0, 12]), floats([12])], biasGeluRun);
const attentionRun = (w: tf.Tensor, qkv: tf.Tensor) => withGradients((v) => causalSelfAttention(v!, { heads: 3, keepCache: false }).output, w, qkv);
add("TsgpuCausalAttention", "causalSelfAttention [1, 7, 3 x 12], 3 heads, batch 1", [floats([1, 7, 36], -2, 2)], (qkv) => causalSelfAttention(qkv, { heads: 3, keepCache: false }).output, loose);
add("TsgpuCausalAttentionGrad", "causalSelfAttention [2, 7, 3 x 12], 3 heads, with gradients", [floats([2, 7, 12], -1, 1), floats([2, 7, 36], -2, 2)], attentionRun, grads);
add("TsgpuCausalAttentionGrad", "causalSelfAttention one position [2, 1, 3 x 12] with gradients", [floats([2, 1, 12], -1, 1), floats([2, 1, 36], -2, 2)], attentionRun, grads);
add("TsgpuCausalAttention", "causalSelfAttention zero-size batch [0, 7, 3 x 12]", [floats([0, 7, 36])], (qkv) => causalSelfAttention(qkv, { heads: 3, keepCache: false }).output);
const embeddingRun = (w: tf.Tensor, table: tf.Tensor, ids: tf.Tensor) => {
  const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), w)))([table]);
  return [value, ...grads];
};
add("TsgpuEmbeddingGrad", "embeddingLookup [37, 12] by ids [2, 7] (repeated ids), gradient", [floats([2, 7, 12], -1, 1), floats([37, 12]), ints([2, 7], 0, 5)], embeddingRun, loose);
add("TsgpuEmbeddingGrad", "embeddingLookup [37, 12] by no ids, gradient all zeros", [floats([0, 12]), floats([37, 12]), ints([0], 0, 37)], embeddingRun);
const crossEntropyRun = (logits: tf.Tensor, targets: tf.Tensor) => {
  const { value, grads } = tf.valueAndGrads((l: tf.Tensor) => vocabCrossEntropy(l, targets))([logits]);
  return [value, ...grads];
};
add("TsgpuVocabCrossEntropy", "vocabCrossEntropy [7, 37] with its gradient", [floats([7, 37], -5, 5), ints([7], 0, 37)], crossEntropyRun, loose);
add("TsgpuVocabCrossEntropy", "vocabCrossEntropy one row [1, 300], large logits", [floats([1, 300], 60, 90), ints([1], 0, 300)], crossEntropyRun, loose);
const adamwRun = (weightDecay: number, gradScale: number) => (param: tf.Tensor, grad: tf.Tensor, m: tf.Tensor, v: tf.Tensor) => {
  const [p1, m1, v1] = [param, m, v].map((t) => tf.variable(t));
  adamw(p1!, grad, m1!, v1!, { learningRate: 3e-3, beta1: 0.9, beta2: 0.95, epsilon: 1e-8, weightDecay, step: 3, gradScale });
  const values = [p1!, m1!, v1!].map((t) => t.clone());
  for (const t of [p1!, m1!, v1!]) t.dispose();
  return values;
};
const adamwInputs = (shape: number[]) => [floats(shape, -1, 1), floats(shape, -1, 1), floats(shape, -0.1, 0.1), floats(shape, 0, 0.01)];
add("TsgpuAdamW", "adamw [7, 12] with weight decay and a clipped gradient", adamwInputs([7, 12]), adamwRun(0.1, 0.5), loose);
add("TsgpuAdamW", "adamw [37] without decay", adamwInputs([37]), adamwRun(0, 1), loose);
add("TsgpuAdamW", "adamw zero-size [0, 12]", adamwInputs([0, 12]), adamwRun(0.1, 1));
const dropoutRun = (rate: number, seed: number) => (w: tf.Tensor, x: tf.Tensor) => withGradients((v) => dropout(v!, rate, seed), w, x);
// The same hashed mask on every backend: kept values and gradients match exactly up to fp32 rounding.
add("TsgpuDropout", "dropout 0.25 of [2, 7, 12] with its gradient", [floats([2, 7, 12], -1, 1), floats([2, 7, 12])], dropoutRun(0.25, 12345), loose);
add("TsgpuDropout", "dropout 0.1 of [1, 7, 37], a seed above 2^31", [floats([1, 7, 37], -1, 1), floats([1, 7, 37])], dropoutRun(0.1, 3_000_000_000), loose);
add("TsgpuDropout", "dropout of zero-size [0, 12]", [floats([0, 12]), floats([0, 12])], dropoutRun(0.5, 1));
// Attention's dropout fused into TsgpuCausalAttention: the same hashed mask over probs [B, H, T, T] as the reference's dropout.
const attentionDropoutRun = (heads: number, rate: number, seed: number) => (w: tf.Tensor, qkv: tf.Tensor) =>
  withGradients((v) => causalSelfAttention(v!, { heads, keepCache: false, dropout: rate, seed }).output, w, qkv);
add("TsgpuCausalAttentionGrad", "causalSelfAttention with dropout 0.2 on the probabilities [2, 7, 3 x 12], with gradients", [floats([2, 7, 12], -1, 1), floats([2, 7, 36], -2, 2)],
  attentionDropoutRun(3, 0.2, 9), grads);
add("TsgpuCausalAttentionGrad", "causalSelfAttention with dropout 0.5, batch 1, odd sizes [1, 9, 3 x 2 x 5], a seed above 2^31, with gradients",
  [floats([1, 9, 10], -1, 1), floats([1, 9, 30], -2, 2)], attentionDropoutRun(2, 0.5, 3_000_000_001), grads);
add("TsgpuCausalAttentionGrad", "causalSelfAttention with dropout 0.1, one position [3, 1, 3 x 7], with gradients", [floats([3, 1, 7], -1, 1), floats([3, 1, 21], -2, 2)],
  attentionDropoutRun(1, 0.1, 4), grads);
add("TsgpuCausalAttention", "causalSelfAttention with dropout, zero-size batch [0, 7, 3 x 12]", [floats([0, 7, 36])],
  (qkv) => causalSelfAttention(qkv, { heads: 3, keepCache: false, dropout: 0.3, seed: 1 }).output);
