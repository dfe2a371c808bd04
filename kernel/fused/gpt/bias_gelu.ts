/**
 * Fused bias add + GELU, tanh approximation (reference: kernel/gpt/ops.ts `biasGelu`).
 *
 * TsgpuBiasGelu: inputs { x [..., N], bias [N] } float32 -> y [..., N]
 *   u = x + bias, y = 0.5 u (1 + tanh(k (u + 0.044715 u^3))), k = sqrt(2/pi)
 * TsgpuBiasGeluGrad: inputs { dy [..., N], x, bias } -> [ dx [..., N], dbias [N] ]
 *   dx = dy * (0.5 (1 + t) + 0.5 u (1 - t^2) k (1 + 3 * 0.044715 u^2)); dbias = dx summed over leading axes
 * (u is recomputed from x in the gradient instead of being kept.)
 */
import { GptKernelInputError, requireFloat32, type ShapedInput } from "./errors.js";

export const BIAS_GELU_KERNEL = "TsgpuBiasGelu";
export const BIAS_GELU_GRAD_KERNEL = "TsgpuBiasGeluGrad";

/** Checks the inputs; returns the channel count N. */
export function validateBiasGelu(x: ShapedInput, bias: ShapedInput): number {
  requireFloat32(x, `${BIAS_GELU_KERNEL}: x`);
  requireFloat32(bias, `${BIAS_GELU_KERNEL}: bias`);
  const channels = x.shape[x.shape.length - 1];
  if (x.shape.length < 1 || bias.shape.length !== 1 || bias.shape[0] !== channels) {
    throw new GptKernelInputError(`${BIAS_GELU_KERNEL}: bias [${bias.shape}] must be [N] with N the last axis of x [${x.shape}]`);
  }
  return channels!;
}
