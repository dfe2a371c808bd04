import { backend_util, MaxPool, type MaxPoolAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_support.js";
import { pool2d } from "../pool2d.js";

/** MaxPool (NHWC float32) with channel-innermost loops. */
export function maxPoolKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x } = args.inputs as { x: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolAttrs;
  const xValues = floatValues(backend, x);
  if (!xValues) return runCpuKernelSingle(MaxPool, args);
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  return output(backend, info.outShape.slice(), pool2d(xValues, info, "max"));
}

export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: "cpu-blas",
  kernelFunc: maxPoolKernel as unknown as KernelConfig["kernelFunc"],
};
