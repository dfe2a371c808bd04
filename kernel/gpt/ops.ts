/**
 * The heavy pieces of a GPT-2 step, one function each, in plain tfjs ops.
 *
 * These are the REFERENCE implementations: a fused backend kernel (cpu-blas,
 * cuda, webgpu) for one of them must match its contract below (shapes,
 * dtypes, formula, gradient) and is compared against it before it is swapped
 * in. Every function is pure apart from `adamw`, which assigns variables.
 * Dtypes are float32 unless said otherwise; token ids are int32.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import {
  ADAMW_KERNEL, BIAS_GELU_GRAD_KERNEL, BIAS_GELU_KERNEL, CAUSAL_ATTENTION_GRAD_KERNEL, CAUSAL_ATTENTION_KERNEL,
  DROPOUT_KERNEL, dropoutMask, EMBEDDING_GRAD_KERNEL, LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, VOCAB_CROSS_ENTROPY_KERNEL,
} from "../fused/gpt/index.js";
import { tfjs } from "../tensor/tfjs.js";

type Tensor = tfTypes.Tensor;

/**
 * Whether the active backend registers the fused kernel `name` (kernel/fused/gpt/) and
 * fused GPT kernels are on; env TSGPU_FUSED_GPT=0 forces these reference ops everywhere.
 */
export function useFusedKernel(name: string): boolean {
  if (process.env["TSGPU_FUSED_GPT"] === "0") return false;
  const tf = tfjs();
  return tf.getKernel(name, tf.getBackend()) !== undefined;
}

function runKernel(name: string, inputs: Record<string, Tensor>, attrs: Record<string, unknown> = {}): Tensor | Tensor[] {
  return tfjs().engine().runKernel(name, inputs as unknown as tfTypes.NamedTensorMap, attrs as tfTypes.NamedAttrMap) as unknown as Tensor | Tensor[];
}

/** tf.customGrad with the inputs typed (tfjs types them as Tensor | GradSaveFunc). */
type GradientFunction = (...args: never[]) => { value: Tensor; gradFunc: (dy: Tensor, saved: Tensor[]) => Tensor | Tensor[] };
function customGradient(f: GradientFunction): (...inputs: Tensor[]) => Tensor {
  return tfjs().customGrad(f as unknown as Parameters<ReturnType<typeof tfjs>["customGrad"]>[0]) as (...inputs: Tensor[]) => Tensor;
}

const SQRT_2_OVER_PI = Math.sqrt(2 / Math.PI);
const GELU_CUBIC = 0.044715;

/**
 * LayerNorm over the last axis.
 * x [..., C], weight [C], bias [C] -> [..., C]:
 *   y = (x - mean(x)) / sqrt(var(x) + epsilon) * weight + bias   (biased variance, as PyTorch)
 * Gradient (xhat = normalised x, g = dy * weight, rstd = 1/sqrt(var + eps)):
 *   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), dweight = sum(dy * xhat), dbias = sum(dy)
 */
export function layerNorm<T extends Tensor>(x: T, weight: Tensor, bias: Tensor, epsilon: number): T {
  const tf = tfjs();
  const channels = x.shape[x.shape.length - 1]!;
  if (useFusedKernel(LAYER_NORM_KERNEL)) {
    const fused = customGradient((input: Tensor, w: Tensor, b: Tensor, save: tfTypes.GradSaveFunc) => {
      const [value, mean, rstd] = runKernel(LAYER_NORM_KERNEL, { x: input, weight: w, bias: b }, { epsilon }) as Tensor[];
      save([input, w, mean!, rstd!]);
      const gradFunc = (dy: Tensor, saved: Tensor[]) => {
        const [sx, sw, sMean, sRstd] = saved as [Tensor, Tensor, Tensor, Tensor];
        return runKernel(LAYER_NORM_GRAD_KERNEL, { dy, x: sx, weight: sw, mean: sMean, rstd: sRstd }) as Tensor[];
      };
      return { value: value!, gradFunc };
    });
    return fused(x, weight, bias) as T;
  }
  const run = customGradient((input: Tensor, w: Tensor, b: Tensor, save: tfTypes.GradSaveFunc) => {
    const x2 = input.reshape([-1, channels]);
    const { mean, variance } = tf.moments(x2, -1, true);
    const rstd = tf.rsqrt(variance.add(epsilon));
    const xhat = x2.sub(mean).mul(rstd);
    save([xhat, rstd, w]);
    const value = xhat.mul(w).add(b).reshape(input.shape);
    const gradFunc = (dy: Tensor, saved: Tensor[]) => {
      const [savedXhat, savedRstd, savedW] = saved as [Tensor, Tensor, Tensor];
      const dy2 = dy.reshape([-1, channels]);
      const g = dy2.mul(savedW);
      const dx = g.sub(g.mean(-1, true)).sub(savedXhat.mul(g.mul(savedXhat).mean(-1, true))).mul(savedRstd);
      return [dx.reshape(input.shape), dy2.mul(savedXhat).sum(0), dy2.sum(0)];
    };
    return { value, gradFunc };
  });
  return run(x, weight, bias) as T;
}

/**
 * Bias add then GELU, tanh approximation (GPT-2's "gelu_new").
 * x [..., N], bias [N] -> [..., N]:
 *   u = x + bias, y = 0.5 u (1 + tanh(k (u + 0.044715 u^3))), k = sqrt(2/pi)
 * Gradient: dy * (0.5 (1 + t) + 0.5 u (1 - t^2) k (1 + 3 * 0.044715 u^2)), t = tanh(...);
 *   dbias = that summed over all leading axes.
 */
export function biasGelu<T extends Tensor>(x: T, bias: Tensor): T {
  const tf = tfjs();
  if (useFusedKernel(BIAS_GELU_KERNEL)) {
    const fused = customGradient((input: Tensor, b: Tensor, save: tfTypes.GradSaveFunc) => {
      save([input, b]);
      const gradFunc = (dy: Tensor, saved: Tensor[]) => runKernel(BIAS_GELU_GRAD_KERNEL, { dy, x: saved[0]!, bias: saved[1]! }) as Tensor[];
      return { value: runKernel(BIAS_GELU_KERNEL, { x: input, bias: b }) as Tensor, gradFunc };
    });
    return fused(x, bias) as T;
  }
  const run = customGradient((input: Tensor, b: Tensor, save: tfTypes.GradSaveFunc) => {
    const u = input.add(b);
    const t = tf.tanh(u.add(u.pow(3).mul(GELU_CUBIC)).mul(SQRT_2_OVER_PI));
    save([u, t]);
    const value = u.mul(t.add(1)).mul(0.5);
    const gradFunc = (dy: Tensor, saved: Tensor[]) => {
      const [su, st] = saved as [Tensor, Tensor];
      const inner = su.square().mul(3 * GELU_CUBIC).add(1).mul(SQRT_2_OVER_PI);
      const local = st.add(1).mul(0.5).add(su.mul(tf.scalar(1).sub(st.square())).mul(inner).mul(0.5));
      const dx = dy.mul(local);
      return [dx, dx.reshape([-1, b.shape[0]!]).sum(0)];
    };
    return { value, gradFunc };
  });
  return run(x, bias) as T;
}

/**
 * Dropout (training only) with a mask hashed from `seed` and each element's flat index
 * (kernel/fused/gpt/dropout.ts), the same on every backend for the same seed:
 *   y = keep ? x / (1 - rate) : 0.   Gradient: dy through the same mask.
 * A backend's TsgpuDropout makes the mask on the device (nothing uploaded, and the gradient remakes it);
 * here it is made on the host and multiplied in. rate 0 returns x.
 */
export function dropout<T extends Tensor>(x: T, rate: number, seed: number): T {
  if (rate === 0) return x;
  const tf = tfjs();
  if (useFusedKernel(DROPOUT_KERNEL)) {
    const fused = customGradient((input: Tensor) => ({
      value: runKernel(DROPOUT_KERNEL, { x: input }, { rate, seed }) as Tensor,
      gradFunc: (dy: Tensor) => runKernel(DROPOUT_KERNEL, { x: dy }, { rate, seed }) as Tensor,
    }));
    return fused(x) as T;
  }
  return x.mul(tf.tensor(dropoutMask(rate, seed, x.size), x.shape, "float32")) as T;
}

/** Keys and values of earlier positions, per layer: each [batch, heads, past, headSize]. */
export interface AttentionCache {
  key: Tensor;
  value: Tensor;
}

export interface AttentionOptions {
  heads: number;
  /** Keys/values of positions before these (generation with a cache). */
  past?: AttentionCache;
  /** Dropout rate on the attention probabilities (training only); 0 = none. */
  dropout?: number;
  /** Seed for that dropout. */
  seed?: number;
  /**
   * Whether to return the present keys/values (default true). Training and scoring pass false,
   * which lets a backend's fused kernel read q, k, v straight from qkv (no split, no cache).
   */
  keepCache?: boolean;
}

/**
 * Causal multi-head self-attention from the fused QKV projection.
 * qkv [B, T, 3C] (q | k | v along the last axis, bias already added), C = heads * D
 * -> output [B, T, C] (heads merged, before c_proj) and the present keys/values
 * [B, heads, P + T, D] (P = past length; the past prepended):
 *   scores = q k^T / sqrt(D), masked where key position > P + query position,
 *   probs = dropout(softmax(scores)), output = probs v.
 * Gradient: through tfjs's autodiff of these ops (matMul, softmax, transpose).
 * Dropout's mask is {@link dropout}'s for (rate, seed) over probs [B, heads, T, P + T].
 * Without a past and with keepCache false, a backend's TsgpuCausalAttention
 * (kernel/fused/gpt/causal_attention.ts) runs instead, dropout included (the same mask, made
 * in the kernel); `present` is then absent.
 */
export function causalSelfAttention(qkv: Tensor, options: AttentionOptions): { output: Tensor; present?: AttentionCache } {
  const tf = tfjs();
  if (options.keepCache === false && !options.past && useFusedKernel(CAUSAL_ATTENTION_KERNEL)) {
    const rate = options.dropout ?? 0;
    const attrs = rate > 0 ? { heads: options.heads, dropout: rate, seed: options.seed ?? 0 } : { heads: options.heads };
    const fused = customGradient((input: Tensor, save: tfTypes.GradSaveFunc) => {
      const [output, probs] = runKernel(CAUSAL_ATTENTION_KERNEL, { qkv: input }, attrs) as Tensor[];
      save([input, probs!]);
      const gradFunc = (dy: Tensor, saved: Tensor[]) => runKernel(CAUSAL_ATTENTION_GRAD_KERNEL, { dy, qkv: saved[0]!, probs: saved[1]! }, attrs) as Tensor;
      return { value: output!, gradFunc };
    });
    return { output: fused(qkv) };
  }
  const [batch, time, threeC] = qkv.shape as [number, number, number];
  const channels = threeC / 3;
  const heads = options.heads;
  const headSize = channels / heads;
  const split = (t: Tensor) => t.reshape([batch, time, heads, headSize]).transpose([0, 2, 1, 3]);
  const [q, kNew, vNew] = tf.split(qkv, 3, 2).map(split) as [Tensor, Tensor, Tensor];
  const key = options.past ? tf.concat([options.past.key, kNew], 2) : kNew;
  const value = options.past ? tf.concat([options.past.value, vNew], 2) : vNew;
  const past = options.past ? options.past.key.shape[2]! : 0;
  const scores = tf.matMul(q, key, false, true).mul(1 / Math.sqrt(headSize));
  let probs = tf.softmax(scores.add(causalMaskBias(time, past)));
  if (options.dropout && options.dropout > 0) probs = dropout(probs, options.dropout, options.seed ?? 0);
  const output = tf.matMul(probs, value).transpose([0, 2, 1, 3]).reshape([batch, time, channels]);
  return { output, present: { key, value } };
}

/** [T, P + T]: 0 where query t may see key s (s <= P + t), -1e9 elsewhere. */
function causalMaskBias(time: number, past: number): Tensor {
  const width = past + time;
  const bias = new Float32Array(time * width);
  for (let t = 0; t < time; t++) for (let s = past + t + 1; s < width; s++) bias[t * width + s] = -1e9;
  return tfjs().tensor2d(bias, [time, width]);
}

/**
 * Embedding lookup.
 * table [V, C], ids int32 [...] (each in [0, V)) -> [..., C]: out[i] = table[ids[i]].
 * Gradient: a scatter-add, dtable[v] = sum of dy[i] over i with ids[i] = v. Computed here as one
 * matmul, onehot(ids)^T [V, N] @ dy [N, C]: tfjs's UnsortedSegmentSum loops over the V segments
 * with whole-tensor ops (about 50 s for GPT-2's 50257 ids on cpu), while a matmul is fast on every
 * backend; the one-hot matrix is as large as the logits. A fused kernel scatter-adds directly.
 */
export function embeddingLookup(table: Tensor, ids: Tensor): Tensor {
  const tf = tfjs();
  const [vocab, channels] = table.shape as [number, number];
  const flatIds = ids.reshape([-1]);
  const run = customGradient((t: Tensor) => {
    const value = tf.gather(t, flatIds).reshape([...ids.shape, channels]);
    if (useFusedKernel(EMBEDDING_GRAD_KERNEL)) {
      return { value, gradFunc: (dy: Tensor) => runKernel(EMBEDDING_GRAD_KERNEL, { dy: dy.reshape([-1, channels]), ids: flatIds }, { vocab }) as Tensor };
    }
    const gradFunc = (dy: Tensor) => tf.matMul(tf.oneHot(flatIds as tfTypes.Tensor1D, vocab), dy.reshape([-1, channels]) as tfTypes.Tensor2D, true, false);
    return { value, gradFunc };
  });
  return run(table);
}

/**
 * Softmax cross-entropy over the vocabulary with integer targets, averaged.
 * logits [N, V], targets int32 [N] -> scalar: mean over n of logsumexp(logits[n]) - logits[n, targets[n]].
 * Gradient: dlogits = (softmax(logits) - onehot(targets)) * dy / N.
 */
export function vocabCrossEntropy(logits: Tensor, targets: Tensor): Tensor {
  const tf = tfjs();
  const [rows, vocab] = logits.shape as [number, number];
  if (useFusedKernel(VOCAB_CROSS_ENTROPY_KERNEL)) {
    const fused = customGradient((l: Tensor, save: tfTypes.GradSaveFunc) => {
      const [loss, dlogits] = runKernel(VOCAB_CROSS_ENTROPY_KERNEL, { logits: l, targets: targets.reshape([-1]) }) as Tensor[];
      save([dlogits!]);
      // The kernel's dlogits are for dy = 1; scaled by dy on the device, always: checking for dy = 1 first
      // would read dy back to the host and stall a GPU's queue in every training step.
      const gradFunc = (dy: Tensor, saved: Tensor[]) => saved[0]!.mul(dy);
      return { value: loss!, gradFunc };
    });
    return fused(logits);
  }
  const run = customGradient((l: Tensor, save: tfTypes.GradSaveFunc) => {
    const oneHot = tf.oneHot(targets.reshape([-1]), vocab);
    const logProbs = tf.logSoftmax(l);
    save([logProbs, oneHot]);
    const value = logProbs.mul(oneHot).sum().neg().div(rows);
    const gradFunc = (dy: Tensor, saved: Tensor[]) => {
      const [savedLogProbs, savedOneHot] = saved as [Tensor, Tensor];
      return tf.exp(savedLogProbs).sub(savedOneHot).mul(dy.div(rows));
    };
    return { value, gradFunc };
  });
  return run(logits);
}

export interface AdamWHyperparameters {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** Decoupled weight decay for this parameter (0 for biases and LayerNorm). */
  weightDecay: number;
  /** 1-based step number, for bias correction. */
  step: number;
  /**
   * Multiplies the gradient first (global-norm clipping); default 1. A scalar tensor keeps a scale
   * computed on the device there (the fused kernel reads it where it runs, nothing is read back).
   */
  gradScale?: number | Tensor;
}

/**
 * One AdamW update, in place (PyTorch's torch.optim.AdamW formula).
 * param, grad, m, v: same shape; m and v are the optimizer's moment variables.
 *   m = b1 m + (1 - b1) g;  v = b2 v + (1 - b2) g^2
 *   param = param - lr * (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps) - lr * wd * param
 */
export function adamw(param: tfTypes.Variable, grad: Tensor, m: tfTypes.Variable, v: tfTypes.Variable, h: AdamWHyperparameters): void {
  const tf = tfjs();
  if (useFusedKernel(ADAMW_KERNEL)) {
    tf.tidy(() => {
      const attrs = { learningRate: h.learningRate, beta1: h.beta1, beta2: h.beta2, epsilon: h.epsilon, weightDecay: h.weightDecay, step: h.step };
      const gradScale = typeof h.gradScale === "object" ? h.gradScale : tf.scalar(h.gradScale ?? 1);
      const [p1, m1, v1] = runKernel(ADAMW_KERNEL, { param, grad, m, v, gradScale }, attrs) as Tensor[];
      m.assign(m1!);
      v.assign(v1!);
      param.assign(p1!);
    });
    return;
  }
  tf.tidy(() => {
    if (typeof h.gradScale === "object") grad = grad.mul(h.gradScale);
    else if (h.gradScale !== undefined && h.gradScale !== 1) grad = grad.mul(h.gradScale);
    const m1 = m.mul(h.beta1).add(grad.mul(1 - h.beta1));
    const v1 = v.mul(h.beta2).add(grad.square().mul(1 - h.beta2));
    const mHat = m1.div(1 - h.beta1 ** h.step);
    const vHat = v1.div(1 - h.beta2 ** h.step);
    let next = param.sub(mHat.div(vHat.sqrt().add(h.epsilon)).mul(h.learningRate));
    if (h.weightDecay > 0) next = next.sub(param.mul(h.learningRate * h.weightDecay));
    m.assign(m1);
    v.assign(v1);
    param.assign(next);
  });
}
