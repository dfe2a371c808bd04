import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { requireBlas } from "../ffi/blas_library.js";
import { conv2dBackpropInput } from "../kernel_utils/conv2d.js";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";

/** Conv2DBackpropInput (conv2d's input gradient, conv2dTranspose) through sgemm + col2im. */
export function conv2DBackpropInputKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, filter } = args.inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = args.attrs as unknown as Conv2DBackpropInputAttrs;
  const dyValues = floatValues(backend, dy);
  const filterValues = floatValues(backend, filter);
  if (!dyValues || !filterValues || dataFormat === "NCHW") return runCpuKernelSingle(Conv2DBackpropInput, args);
  const info = backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, "channelsLast",
  );
  return output(backend, info.inShape.slice(), conv2dBackpropInput(requireBlas().sgemm, dyValues, filterValues, info));
}

export const conv2DBackpropInputConfig: KernelConfig = {
  kernelName: Conv2DBackpropInput,
  backendName: "cpu-blas",
  kernelFunc: conv2DBackpropInputKernel as unknown as KernelConfig["kernelFunc"],
};
