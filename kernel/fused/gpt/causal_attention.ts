/**
 * Fused causal multi-head self-attention straight from the QKV projection
 * (reference: kernel/gpt/ops.ts `causalSelfAttention`, without a past and without dropout).
 *
 * TsgpuCausalAttention: inputs { qkv [B, T, 3C] } float32 (q | k | v along the last axis), attrs { heads }
 *   -> [ output [B, T, C] (heads merged), probs [B, heads, T, T] (kept for the gradient) ]
 *   per (b, h), D = C / heads: q, k, v = the [T, D] columns h*D.. of each third;
 *   scores = q k^T / sqrt(D), masked where key s > query t, probs = softmax(scores) (0 where masked),
 *   output[b, :, h*D..] = probs v.
 * TsgpuCausalAttentionGrad: inputs { dy [B, T, C], qkv, probs }, attrs { heads } -> dqkv [B, T, 3C]
 *   dv = probs^T dy, dprobs = dy v^T, dscores = probs * (dprobs - rowsum(dprobs * probs)) / sqrt(D),
 *   dq = dscores k, dk = dscores^T q.
 * No SplitV, no transposes: kernels read q, k, v as strided views of qkv.
 */
import { GptKernelInputError, requireFloat32, type ShapedInput } from "./errors.js";

export const CAUSAL_ATTENTION_KERNEL = "TsgpuCausalAttention";
export const CAUSAL_ATTENTION_GRAD_KERNEL = "TsgpuCausalAttentionGrad";

export interface CausalAttentionAttrs {
  heads: number;
}

/** Checks qkv and heads; returns [B, T, C, D]. */
export function validateCausalAttention(qkv: ShapedInput, heads: number): [number, number, number, number] {
  requireFloat32(qkv, `${CAUSAL_ATTENTION_KERNEL}: qkv`);
  if (qkv.shape.length !== 3) throw new GptKernelInputError(`${CAUSAL_ATTENTION_KERNEL}: qkv must be [batch, time, 3 * channels], got [${qkv.shape}]`);
  const [batch, time, threeC] = qkv.shape as [number, number, number];
  if (!Number.isInteger(heads) || heads < 1) throw new GptKernelInputError(`${CAUSAL_ATTENTION_KERNEL}: heads must be a positive integer, got ${heads}`);
  if (threeC % (3 * heads) !== 0) throw new GptKernelInputError(`${CAUSAL_ATTENTION_KERNEL}: the last axis of qkv (${threeC}) must be 3 * heads (${heads}) * head size`);
  const channels = threeC / 3;
  return [batch, time, channels, channels / heads];
}
