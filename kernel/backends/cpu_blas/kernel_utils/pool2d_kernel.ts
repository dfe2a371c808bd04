import { backend_util, type AvgPoolAttrs, type MaxPoolAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "./kernel_support.js";
import { pool2d } from "./pool2d.js";

/**
 * The forward pooling kernels (MaxPool, AvgPool; NHWC float32) differ only in
 * the reduction: one factory for both. Other dtypes fall back to tfjs's cpu kernel.
 */
export function pool2dKernel(kernelName: string, mode: "max" | "avg"): (args: KernelArgs) => TensorInfo {
  return (args) => {
    const { backend } = args;
    const { x } = args.inputs as { x: TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolAttrs | AvgPoolAttrs;
    const xValues = floatValues(backend, x);
    if (!xValues) return runCpuKernelSingle(kernelName, args);
    const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    return output(backend, info.outShape.slice(), pool2d(xValues, info, mode));
  };
}
