/**
 * Fused AdamW update, PyTorch's torch.optim.AdamW (reference: kernel/gpt/ops.ts `adamw`).
 *
 * TsgpuAdamW: inputs { param, grad, m, v } float32 of one shape, gradScale float32 with one element (rank 0 or 1),
 *   attrs { learningRate, beta1, beta2, epsilon, weightDecay (0 = no decay), step (1-based) }
 *   -> [ param', m', v' ]:
 *   g = grad * gradScale; m' = b1 m + (1 - b1) g; v' = b2 v + (1 - b2) g^2
 *   param' = param - lr (m' / (1 - b1^step)) / (sqrt(v' / (1 - b2^step)) + eps) - lr wd param
 * gradScale folds global-norm clipping into the update. It is a tensor, not an attr, so a training step
 * computes it where the gradients are and queues the updates without reading it back to the host.
 */
import { GptKernelInputError, requireFloat32, type ShapedInput, sizeOfShape } from "./errors.js";

export const ADAMW_KERNEL = "TsgpuAdamW";

export interface AdamWAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  weightDecay: number;
  step: number;
}

export function validateAdamW(param: ShapedInput, grad: ShapedInput, m: ShapedInput, v: ShapedInput, gradScale: ShapedInput | undefined, attrs: AdamWAttrs): void {
  for (const [t, name] of [[param, "param"], [grad, "grad"], [m, "m"], [v, "v"]] as const) {
    requireFloat32(t, `${ADAMW_KERNEL}: ${name}`);
    if (t.shape.length !== param.shape.length || t.shape.some((d, i) => d !== param.shape[i])) {
      throw new GptKernelInputError(`${ADAMW_KERNEL}: ${name} [${t.shape}] must have the shape of param [${param.shape}]`);
    }
  }
  if (gradScale === undefined) throw new GptKernelInputError(`${ADAMW_KERNEL}: the gradScale input is missing: pass a float32 scalar tensor (tf.scalar(1) for no scaling)`);
  requireFloat32(gradScale, `${ADAMW_KERNEL}: gradScale`);
  if (gradScale.shape.length > 1 || sizeOfShape(gradScale.shape) !== 1) {
    throw new GptKernelInputError(`${ADAMW_KERNEL}: gradScale must be a scalar (one element), got [${gradScale.shape}]`);
  }
  if (!Number.isInteger(attrs.step) || attrs.step < 1) throw new GptKernelInputError(`${ADAMW_KERNEL}: step must be a 1-based integer, got ${attrs.step}`);
  if (!(attrs.beta1 >= 0 && attrs.beta1 < 1 && attrs.beta2 >= 0 && attrs.beta2 < 1)) throw new GptKernelInputError(`${ADAMW_KERNEL}: beta1 (${attrs.beta1}) and beta2 (${attrs.beta2}) must be in [0, 1)`);
}
