import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import {
  attentionDropout, CAUSAL_ATTENTION_GRAD_KERNEL, CAUSAL_ATTENTION_KERNEL, type CausalAttentionAttrs, dropoutKey, dropoutThreshold, validateCausalAttention,
} from "../../../fused/gpt/index.js";
import { requireBlas } from "../ffi/blas_library.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { type AttentionDropout, attentionBackward, attentionForward } from "../kernel_utils/gpt_math.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";

/** Validates the inputs; returns [B, T, C] and the dropout mask's parameters (undefined for rate 0). */
function attentionShape(qkv: TensorInfo, attrs: CausalAttentionAttrs): { sizes: [number, number, number]; dropout?: AttentionDropout } {
  const { rate, seed } = attentionDropout(attrs);
  const [batch, time, channels] = validateCausalAttention(qkv, attrs.heads, rate, seed);
  return { sizes: [batch, time, channels], ...(rate > 0 ? { dropout: { key: dropoutKey(seed), threshold: dropoutThreshold(rate), scale: 1 / (1 - rate) } } : {}) };
}

/** Causal attention forward (kernel/fused/gpt/causal_attention.ts): two sgemms per (batch, head) on strided views of qkv. */
function causalAttention(args: KernelArgs): TensorInfo[] {
  const { backend } = args;
  const { qkv } = args.inputs as { qkv: TensorInfo };
  const attrs = args.attrs as unknown as CausalAttentionAttrs;
  const { sizes: [batch, time, channels], dropout } = attentionShape(qkv, attrs);
  const heads = attrs.heads;
  const out = float32Pool.alloc(batch * time * channels);
  const probs = float32Pool.alloc(batch * heads * time * time);
  const scratch = dropout ? new Float32Array(time * time) : undefined;
  attentionForward(requireBlas().sgemm, floatValues(backend, qkv)!, batch, time, channels, heads, out, probs, dropout, scratch);
  return [output(backend, [batch, time, channels], out), output(backend, [batch, heads, time, time], probs)];
}

/** Causal attention backward: four sgemms per (batch, head), writing dq, dk, dv into one [B, T, 3C] tensor. */
function causalAttentionGrad(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, qkv, probs } = args.inputs as Record<"dy" | "qkv" | "probs", TensorInfo>;
  const attrs = args.attrs as unknown as CausalAttentionAttrs;
  const { sizes: [batch, time, channels], dropout } = attentionShape(qkv, attrs);
  const dqkv = float32Pool.alloc(batch * time * 3 * channels);
  const scratch = new Float32Array((dropout ? 2 : 1) * time * time);
  attentionBackward(requireBlas().sgemm, floatValues(backend, dy)!, floatValues(backend, qkv)!, floatValues(backend, probs)!, batch, time, channels, attrs.heads, dqkv, scratch, dropout);
  return output(backend, qkv.shape.slice(), dqkv);
}

export const causalAttentionConfigs: KernelConfig[] = [
  { kernelName: CAUSAL_ATTENTION_KERNEL, backendName: "cpu-blas", kernelFunc: causalAttention as unknown as KernelConfig["kernelFunc"] },
  { kernelName: CAUSAL_ATTENTION_GRAD_KERNEL, backendName: "cpu-blas", kernelFunc: causalAttentionGrad as unknown as KernelConfig["kernelFunc"] },
];
