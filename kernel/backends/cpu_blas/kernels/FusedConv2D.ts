import { backend_util, FusedConv2D, type FusedConv2DAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { activateInPlace, addBiasInPlace, cpuEpilogue, needsCpuEpilogue } from "../kernel_utils/activation.js";
import { requireBlas } from "../ffi/blas_library.js";
import { conv2dForward } from "../kernel_utils/conv2d.js";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";

/** conv2d + bias + activation (tf.fused.conv2d, tf.layers.conv2d): im2col + sgemm, then an in-place epilogue. */
export function fusedConv2DKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
  const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } = args.attrs as unknown as FusedConv2DAttrs;
  const xValues = floatValues(backend, x!);
  const filterValues = floatValues(backend, filter!);
  if (!xValues || !filterValues || dataFormat === "NCHW") return runCpuKernelSingle(FusedConv2D, args);
  const info = backend_util.computeConv2DInfo(
    x!.shape as [number, number, number, number], filter!.shape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, false, "channelsLast",
  );
  const y = conv2dForward(requireBlas().sgemm, xValues, filterValues, info);
  if (needsCpuEpilogue(backend, bias, info.outChannels, activation)) {
    return cpuEpilogue(backend, output(backend, info.outShape.slice(), y), bias, activation, preluActivationWeights, leakyreluAlpha);
  }
  if (bias) addBiasInPlace(y, floatValues(backend, bias)!, info.outChannels);
  activateInPlace(y, activation, leakyreluAlpha);
  return output(backend, info.outShape.slice(), y);
}

export const fusedConv2DConfig: KernelConfig = {
  kernelName: FusedConv2D,
  backendName: "cpu-blas",
  kernelFunc: fusedConv2DKernel as unknown as KernelConfig["kernelFunc"],
};
