/**
 * The factory of the cpu-blas convolution kernels (Conv2D and its two
 * gradients): NHWC float32 inputs go through sgemm (conv2d.ts chooses the
 * algorithm); NCHW and other dtypes run tfjs's cpu kernel.
 */
import type { backend_util, KernelConfig, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { requireBlas, type Sgemm } from "../ffi/blas_library.js";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "./kernel_support.js";

/** What one convolution kernel adds to the common path. */
export interface Conv2DKernelSpec {
  kernelName: string;
  /** The two input names, in the order `compute` takes them. */
  inputs: [string, string];
  /** The convolution's geometry, channels last, from the two inputs and the attributes. */
  geometry: (first: TensorInfo, second: TensorInfo, attrs: NamedAttrMap) => backend_util.Conv2DInfo;
  compute: (sgemm: Sgemm, first: Float32Array, second: Float32Array, info: backend_util.Conv2DInfo) => Float32Array;
  outputShape: (info: backend_util.Conv2DInfo) => number[];
}

/** The KernelConfig of one cpu-blas convolution kernel. */
export function conv2dKernelConfig(spec: Conv2DKernelSpec): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const first = args.inputs[spec.inputs[0]] as TensorInfo;
    const second = args.inputs[spec.inputs[1]] as TensorInfo;
    const firstValues = floatValues(backend, first);
    const secondValues = floatValues(backend, second);
    if (!firstValues || !secondValues || (args.attrs as { dataFormat?: string }).dataFormat === "NCHW") return runCpuKernelSingle(spec.kernelName, args);
    const info = spec.geometry(first, second, args.attrs as NamedAttrMap);
    return output(backend, spec.outputShape(info).slice(), spec.compute(requireBlas().sgemm, firstValues, secondValues, info));
  };
  return { kernelName: spec.kernelName, backendName: "cpu-blas", kernelFunc: kernelFunc as unknown as KernelConfig["kernelFunc"] };
}
