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
import { biasGelu, causalSelfAttention, embeddingLookup, layerNorm, vocabCrossEntropy } from "../../kernel/gpt/ops";
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
const withGradients = (f: (...x: tf.Tensor[]) => tf.Tensor, weights: tf.Tensor, ...x: tf.Tensor[]) => {
  const { value, grads } = tf.valueAndGrads((...v: tf.Tensor[]) => tf.sum(tf.mul(f(...v), weights)))(x);
  return [value, f(...x), ...grads];
};
add("Rsqrt", "layerNorm [2, 5, 16] with gradients", [floats([2, 5, 16], -1, 1), floats([2, 5, 16]), floats([16], 0.5, 1.5), floats([16], -0.1, 0.1)],
  (w, x, g, b) => withGradients((v, gamma, beta) => layerNorm(v!, gamma!, beta!, 1e-5), w, x, g, b), { atol: 1e-4, rtol: 1e-3 });
add("Tanh", "biasGelu [2, 5, 24] with gradients", [floats([2, 5, 24], -1, 1), floats([2, 5, 24], -3, 3), floats([24], -0.5, 0.5)],
  (w, x, b) => withGradients((v, bias) => biasGelu(v!, bias!), w, x, b), { atol: 1e-4, rtol: 1e-3 });
add("Softmax", "causalSelfAttention [2, 5, 3 x 12], 3 heads, with gradients", [floats([2, 5, 12], -1, 1), floats([2, 5, 36], -2, 2)],
  (w, qkv) => withGradients((v) => causalSelfAttention(v!, { heads: 3 }).output, w, qkv), { atol: 1e-4, rtol: 1e-3 });
add("Concat", "causalSelfAttention with a KV cache of 4 positions, batch 1", [floats([1, 1, 36], -2, 2), floats([1, 3, 4, 4]), floats([1, 3, 4, 4])],
  (qkv, key, value) => { const { output, present } = causalSelfAttention(qkv, { heads: 3, past: { key, value } }); return [output, present!.key, present!.value]; }, loose);
add("OneHot", "embeddingLookup [37, 16] by ids [2, 5], gradient through the one-hot matmul", [floats([2, 5, 16], -1, 1), floats([37, 16]), ints([2, 5], 0, 37)],
  (w, table, ids) => { const { value, grads } = tf.valueAndGrads((t: tf.Tensor) => tf.sum(tf.mul(embeddingLookup(t, ids), w)))([table]); return [value, ...grads]; }, loose);
add("Max", "vocabCrossEntropy [10, 37] (logSoftmax) with its gradient", [floats([10, 37], -5, 5), ints([10], 0, 37)],
  (logits, targets) => { const { value, grads } = tf.valueAndGrads((l: tf.Tensor) => vocabCrossEntropy(l, targets))([logits]); return [value, ...grads]; }, loose);
