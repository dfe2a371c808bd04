/**
 * The GPT's fused kernels (contracts; the reference math is kernel/gpt/ops.ts):
 * LayerNorm, bias + GELU, causal attention from QKV, the embedding scatter-add
 * gradient, the vocabulary cross-entropy, AdamW, and dropout with a counter-based mask.
 */
import { ADAMW_KERNEL } from "./adamw.js";
import { BIAS_GELU_GRAD_KERNEL, BIAS_GELU_KERNEL } from "./bias_gelu.js";
import { CAUSAL_ATTENTION_GRAD_KERNEL, CAUSAL_ATTENTION_KERNEL } from "./causal_attention.js";
import { EMBEDDING_GRAD_KERNEL } from "./embedding_grad.js";
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL } from "./layer_norm.js";
import { VOCAB_CROSS_ENTROPY_KERNEL } from "./vocab_cross_entropy.js";

export * from "./adamw.js";
export * from "./bias_gelu.js";
export * from "./dropout.js";
export * from "./causal_attention.js";
export * from "./embedding_grad.js";
export * from "./errors.js";
export * from "./layer_norm.js";
export * from "./vocab_cross_entropy.js";

/** Every GPT fused kernel's name (TsgpuDropout, newer and optional, is apart: cuda only so far). */
export const GPT_FUSED_KERNEL_NAMES: readonly string[] = [
  LAYER_NORM_KERNEL, LAYER_NORM_GRAD_KERNEL, BIAS_GELU_KERNEL, BIAS_GELU_GRAD_KERNEL,
  CAUSAL_ATTENTION_KERNEL, CAUSAL_ATTENTION_GRAD_KERNEL, EMBEDDING_GRAD_KERNEL, VOCAB_CROSS_ENTROPY_KERNEL, ADAMW_KERNEL,
];
