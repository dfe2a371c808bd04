/**
 * Fused AdamW update, PyTorch's torch.optim.AdamW (reference: kernel/gpt/ops.ts `adamw`).
 *
 * TsgpuAdamW: inputs { param, grad, m, v } float32 of one shape,
 *   attrs { learningRate, beta1, beta2, epsilon, weightDecay (0 = no decay), step (1-based), gradScale }
 *   -> [ param', m', v' ]:
 *   g = grad * gradScale; m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g^2
 *   param' = param - lr (m' / (1 - b1^step)) / (sqrt(v' / (1 - b2^step)) + eps) - lr wd param
 * (gradScale folds global-norm clipping into the update.)
 */
import { GptKernelInputError, requireFloat32, type ShapedInput } from "./errors.js";

export const ADAMW_KERNEL = "TsgpuAdamW";

export interface AdamWAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  step: number;
  gradScale: number;
}

export function validateAdamW(param: ShapedInput, grad: ShapedInput, m: ShapedInput, v: ShapedInput, attrs: AdamWAttrs): void {
  for (const [t, name] of [[param, "param"], [grad, "grad"], [m, "m"], [v, "v"]] as const) {
    requireFloat32(t, `${ADAMW_KERNEL}: ${name}`);
    if (t.shape.length !== param.shape.length || t.shape.some((d, i) => d !== param.shape[i])) {
      throw new GptKernelInputError(`${ADAMW_KERNEL}: ${name} [${t.shape}] must have the shape of param [${param.shape}]`);
    }
  }
  if (!Number.isInteger(attrs.step) || attrs.step < 1) throw new GptKernelInputError(`${ADAMW_KERNEL}: step must be a 1-based integer, got ${attrs.step}`);
  if (!(attrs.beta1 >= 0 && attrs.beta1 < 1 && attrs.beta2 >= 0 && attrs.beta2 < 1)) throw new GptKernelInputError(`${ADAMW_KERNEL}: beta1 (${attrs.beta1}) and beta2 (${attrs.beta2}) must be in [0, 1)`);
}
