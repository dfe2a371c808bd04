import { backend_util, MaxPoolGrad, type MaxPoolGradAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";
import { maxPool2dGrad } from "../kernel_utils/pool2d.js";

/** MaxPoolGrad: one pass over the windows, routing dy to each window's first maximum. */
export function maxPoolGradKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, input } = args.inputs as { dy: TensorInfo; input: TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = args.attrs as unknown as MaxPoolGradAttrs;
  const xValues = floatValues(backend, input);
  const dyValues = floatValues(backend, dy);
  if (!xValues || !dyValues) return runCpuKernelSingle(MaxPoolGrad, args);
  const info = backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  return output(backend, input.shape.slice(), maxPool2dGrad(xValues, dyValues, info));
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: "cpu-blas",
  kernelFunc: maxPoolGradKernel as unknown as KernelConfig["kernelFunc"],
};
