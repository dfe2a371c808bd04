import { AvgPool, backend_util, type AvgPoolAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_support.js";
import { pool2d } from "../pool2d.js";

/** AvgPool (NHWC float32) with channel-innermost loops; the mean is over in-image pixels. */
export function avgPoolKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x } = args.inputs as { x: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as AvgPoolAttrs;
  const xValues = floatValues(backend, x);
  if (!xValues) return runCpuKernelSingle(AvgPool, args);
  const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  return output(backend, info.outShape.slice(), pool2d(xValues, info, "avg"));
}

export const avgPoolConfig: KernelConfig = {
  kernelName: AvgPool,
  backendName: "cpu-blas",
  kernelFunc: avgPoolKernel as unknown as KernelConfig["kernelFunc"],
};
