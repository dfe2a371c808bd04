import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { ADAM_UPDATE_KERNEL, type AdamUpdateInputs, adamBiasCorrections, validateAdamUpdateInputs } from "../../../fused/adam_update.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { runLoop } from "../kernel_utils/simd.js";

/**
 * The fused Adam update (kernel/fused/adam_update.ts) as one pass over
 * the four arrays (loops.ts `AdamUpdate`), instead of fourteen tfjs ops each
 * reading and writing whole tensors. Intermediates stay in float64, so results
 * differ from tfjs's op-by-op float32 rounding by an ulp or so.
 */
function adamUpdate(args: KernelArgs): TensorInfo[] {
  const { backend } = args;
  const { value, gradient, firstMoment, secondMoment } = args.inputs as AdamUpdateInputs<TensorInfo>;
  const attrs = validateAdamUpdateInputs(args.inputs, args.attrs);
  const x = floatValues(backend, value)!;
  const g = floatValues(backend, gradient)!;
  const m = floatValues(backend, firstMoment)!;
  const v = floatValues(backend, secondMoment)!;
  const { learningRate, beta1, beta2, epsilon } = attrs;
  const corrections = adamBiasCorrections(attrs);
  const newValue = float32Pool.alloc(x.length);
  const newFirst = float32Pool.alloc(x.length);
  const newSecond = float32Pool.alloc(x.length);
  runLoop(
    "AdamUpdate",
    [x, g, m, v, newValue, newFirst, newSecond],
    [beta1, 1 - beta1, beta2, 1 - beta2, learningRate / corrections.firstMoment, 1 / corrections.secondMoment, epsilon],
    x.length,
  );
  const shape = value.shape.slice();
  return [output(backend, shape, newValue), output(backend, shape.slice(), newFirst), output(backend, shape.slice(), newSecond)];
}

export const adamUpdateConfig: KernelConfig = {
  kernelName: ADAM_UPDATE_KERNEL,
  backendName: "cpu-blas",
  kernelFunc: adamUpdate as unknown as KernelConfig["kernelFunc"],
};
