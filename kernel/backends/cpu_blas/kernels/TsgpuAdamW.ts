import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { ADAMW_KERNEL, type AdamWAttrs, validateAdamW } from "../../../fused/gpt/index.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { adamwUpdate } from "../kernel_utils/gpt_math.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";

/** AdamW (kernel/fused/gpt/adamw.ts): one pass over the four arrays, new param and moments out. */
function adamw(args: KernelArgs): TensorInfo[] {
  const { backend } = args;
  const { param, grad, m, v, gradScale } = args.inputs as Record<"param" | "grad" | "m" | "v" | "gradScale", TensorInfo>;
  const attrs = args.attrs as unknown as AdamWAttrs;
  validateAdamW(param, grad, m, v, gradScale, attrs);
  const pv = floatValues(backend, param)!;
  const out = { param: float32Pool.alloc(pv.length), m: float32Pool.alloc(pv.length), v: float32Pool.alloc(pv.length) };
  // The scale's one value is in host memory on this backend: reading it is no device round trip.
  const scale = floatValues(backend, gradScale)![0]!;
  adamwUpdate(pv, floatValues(backend, grad)!, floatValues(backend, m)!, floatValues(backend, v)!, out, { ...attrs, gradScale: scale });
  return [output(backend, param.shape.slice(), out.param), output(backend, param.shape.slice(), out.m), output(backend, param.shape.slice(), out.v)];
}

export const adamwConfig: KernelConfig = {
  kernelName: ADAMW_KERNEL,
  backendName: "cpu-blas",
  kernelFunc: adamw as unknown as KernelConfig["kernelFunc"],
};
