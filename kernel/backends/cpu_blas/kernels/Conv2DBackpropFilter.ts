import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { requireBlas } from "../ffi/blas_library.js";
import { conv2dBackpropFilter } from "../kernel_utils/conv2d.js";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";

/** Conv2DBackpropFilter (conv2d's filter gradient) through im2col + sgemm, accumulated over image chunks. */
export function conv2DBackpropFilterKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x, dy } = args.inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = args.attrs as unknown as Conv2DBackpropFilterAttrs;
  const xValues = floatValues(backend, x);
  const dyValues = floatValues(backend, dy);
  if (!xValues || !dyValues || dataFormat === "NCHW") return runCpuKernelSingle(Conv2DBackpropFilter, args);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, "channelsLast",
  );
  return output(backend, info.filterShape.slice(), conv2dBackpropFilter(requireBlas().sgemm, xValues, dyValues, info));
}

export const conv2DBackpropFilterConfig: KernelConfig = {
  kernelName: Conv2DBackpropFilter,
  backendName: "cpu-blas",
  kernelFunc: conv2DBackpropFilterKernel as unknown as KernelConfig["kernelFunc"],
};
