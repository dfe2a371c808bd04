import { backend_util, Conv2D, type Conv2DAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { requireBlas } from "../ffi/blas_library.js";
import { conv2dForward } from "../kernel_utils/conv2d.js";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";

/** Conv2D (NHWC, float32) through im2col + sgemm; NCHW and other dtypes use tfjs's cpu kernel. */
export function conv2DKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x, filter } = args.inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = args.attrs as unknown as Conv2DAttrs;
  const xValues = floatValues(backend, x);
  const filterValues = floatValues(backend, filter);
  if (!xValues || !filterValues || dataFormat === "NCHW") return runCpuKernelSingle(Conv2D, args);
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, false, "channelsLast",
  );
  return output(backend, info.outShape.slice(), conv2dForward(requireBlas().sgemm, xValues, filterValues, info));
}

export const conv2DConfig: KernelConfig = {
  kernelName: Conv2D,
  backendName: "cpu-blas",
  kernelFunc: conv2DKernel as unknown as KernelConfig["kernelFunc"],
};
