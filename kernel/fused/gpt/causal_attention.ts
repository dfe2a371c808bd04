/**
 * Fused causal multi-head self-attention straight from the QKV projection
 * (reference: kernel/gpt/ops.ts `causalSelfAttention`, without a past), with optional dropout on the probabilities.
 *
 * TsgpuCausalAttention: inputs { qkv [B, T, 3C] } float32 (q | k | v along the last axis),
 *   attrs { heads, dropout?: rate in [0, 1) (default 0), seed?: integer in [0, 2^32) (default 0) }
 *   -> [ output [B, T, C] (heads merged), probs [B, heads, T, T] (softmax before dropout, kept for the gradient) ]
 *   per (b, h), D = C / heads: q, k, v = the [T, D] columns h*D.. of each third;
 *   scores = q k^T / sqrt(D), masked where key s > query t, probs = softmax(scores) (0 where masked),
 *   dropped = probs * mask, output[b, :, h*D..] = dropped v.
 *   mask is TsgpuDropout's (kernel/fused/gpt/dropout.ts) for (rate, seed) over a [B, heads, T, T] tensor:
 *   element (b, h, t, s) has the flat index ((b * heads + h) * T + t) * T + s, so the mask is the one
 *   the reference's dropout(probs, rate, seed) makes, on every backend. rate 0: mask = 1.
 * TsgpuCausalAttentionGrad: inputs { dy [B, T, C], qkv, probs }, the forward's attrs -> dqkv [B, T, 3C]
 *   dv = dropped^T dy, dprobs = (dy v^T) * mask, dscores = probs * (dprobs - rowsum(dprobs * probs)) / sqrt(D),
 *   dq = dscores k, dk = dscores^T q   (the mask is remade from the seed, not kept).
 * No SplitV, no transposes: kernels read q, k, v as strided views of qkv.
 */
import { validateDropoutAttrs } from "./dropout.js";
import { GptKernelInputError, requireFloat32, type ShapedInput } from "./errors.js";

export const CAUSAL_ATTENTION_KERNEL = "TsgpuCausalAttention";
export const CAUSAL_ATTENTION_GRAD_KERNEL = "TsgpuCausalAttentionGrad";

export interface CausalAttentionAttrs {
  heads: number;
  /** Dropout rate on the probabilities; absent or 0 = none. */
  dropout?: number;
  /** The dropout mask's seed (absent = 0). */
  seed?: number;
}

/** Checks qkv, heads and the dropout attrs; returns [B, T, C, D]. */
export function validateCausalAttention(qkv: ShapedInput, heads: number, dropout = 0, seed = 0): [number, number, number, number] {
  requireFloat32(qkv, `${CAUSAL_ATTENTION_KERNEL}: qkv`);
  if (qkv.shape.length !== 3) throw new GptKernelInputError(`${CAUSAL_ATTENTION_KERNEL}: qkv must be [batch, time, 3 * channels], got [${qkv.shape}]`);
  const [batch, time, threeC] = qkv.shape as [number, number, number];
  if (!Number.isInteger(heads) || heads < 1) throw new GptKernelInputError(`${CAUSAL_ATTENTION_KERNEL}: heads must be a positive integer, got ${heads}`);
  if (threeC % (3 * heads) !== 0) throw new GptKernelInputError(`${CAUSAL_ATTENTION_KERNEL}: the last axis of qkv (${threeC}) must be 3 * heads (${heads}) * head size`);
  validateDropoutAttrs(`${CAUSAL_ATTENTION_KERNEL} dropout`, dropout, seed);
  if (dropout > 0 && batch * heads * time * time > 2 ** 32) {
    throw new GptKernelInputError(`${CAUSAL_ATTENTION_KERNEL}: probs [${batch}, ${heads}, ${time}, ${time}] has more than 2^32 elements: the dropout mask's counter is 32-bit; use a smaller batch`);
  }
  const channels = threeC / 3;
  return [batch, time, channels, channels / heads];
}

/** The dropout rate and seed of the attrs (0 when absent). */
export function attentionDropout(attrs: CausalAttentionAttrs): { rate: number; seed: number } {
  return { rate: attrs.dropout ?? 0, seed: attrs.seed ?? 0 };
}
