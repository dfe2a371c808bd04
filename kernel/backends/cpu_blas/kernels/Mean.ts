import { type KernelConfig, Mean, type MeanAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { runLoop } from "../kernel_utils/simd.js";
import { sumKernel } from "./Sum.js";

/**
 * Mean (float32) as tfjs's cpu kernel computes it, sum(x / n), with the
 * division as one loop and the sum as cpu-blas's Sum, instead of tfjs's
 * generic broadcasting divide (a loss's mean over a batch took 14 µs).
 */
function meanKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x } = args.inputs as { x: TensorInfo };
  const { axis } = args.attrs as unknown as MeanAttrs;
  const values = floatValues(backend, x);
  if (!values) return runCpuKernelSingle(Mean, args);
  const axes = util.parseAxisParam(axis, x.shape);
  const reduceSize = axes.reduce((size, a) => size * x.shape[a]!, 1);
  const scaled = float32Pool.alloc(values.length);
  if (values.length > 0) runLoop("RealDiv.scalarB", [values, scaled], [reduceSize], values.length);
  const scaledInfo = output(backend, x.shape.slice(), scaled);
  try {
    return sumKernel({ ...args, inputs: { x: scaledInfo } } as KernelArgs);
  } finally {
    backend.disposeIntermediateTensorInfo(scaledInfo);
  }
}

export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: "cpu-blas",
  kernelFunc: meanKernel as unknown as KernelConfig["kernelFunc"],
};
