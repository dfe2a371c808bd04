/**
 * Fused LayerNorm over the last axis (reference: kernel/gpt/ops.ts `layerNorm`).
 *
 * TsgpuLayerNorm: inputs { x [..., C], weight [C], bias [C] } float32, attrs { epsilon }
 *   -> [ y [..., C], mean [rows], rstd [rows] ]   (rows = size / C)
 *   y = (x - mean) * rstd * weight + bias, rstd = 1 / sqrt(biased var + epsilon)
 * TsgpuLayerNormGrad: inputs { dy [..., C], x, weight, mean, rstd } -> [ dx [..., C], dweight [C], dbias [C] ]
 *   xhat = (x - mean) * rstd, g = dy * weight,
 *   dx = rstd * (g - mean(g) - xhat * mean(g * xhat)), dweight = sum(dy * xhat), dbias = sum(dy)
 */
import { GptKernelInputError, requireFloat32, type ShapedInput } from "./errors.js";

export const LAYER_NORM_KERNEL = "TsgpuLayerNorm";
export const LAYER_NORM_GRAD_KERNEL = "TsgpuLayerNormGrad";

export interface LayerNormAttrs {
  epsilon: number;
}

/** Checks the forward inputs; returns the channel count C. */
export function validateLayerNorm(x: ShapedInput, weight: ShapedInput, bias: ShapedInput, epsilon: number): number {
  for (const [t, name] of [[x, "x"], [weight, "weight"], [bias, "bias"]] as const) requireFloat32(t, `${LAYER_NORM_KERNEL}: ${name}`);
  if (x.shape.length < 1) throw new GptKernelInputError(`${LAYER_NORM_KERNEL}: x must have rank >= 1 (channels last), got a scalar`);
  const channels = x.shape[x.shape.length - 1]!;
  if (weight.shape.length !== 1 || bias.shape.length !== 1 || weight.shape[0] !== channels || bias.shape[0] !== channels) {
    throw new GptKernelInputError(`${LAYER_NORM_KERNEL}: weight [${weight.shape}] and bias [${bias.shape}] must both be [${channels}], the last axis of x [${x.shape}]`);
  }
  if (!(epsilon >= 0)) throw new GptKernelInputError(`${LAYER_NORM_KERNEL}: epsilon must be >= 0, got ${epsilon}`);
  return channels;
}
