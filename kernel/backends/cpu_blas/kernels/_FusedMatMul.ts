import { _FusedMatMul, type _FusedMatMulAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { activateInPlace, addBiasInPlace, cpuEpilogue, needsCpuEpilogue } from "../kernel_utils/activation.js";
import { requireBlas } from "../ffi/blas_library.js";
import { batchMatMul } from "../kernel_utils/batch_matmul.js";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";

/** matMul + bias + activation (tf.fused.matMul, tf.layers.dense): sgemm, then an in-place epilogue. */
export function fusedMatMulKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo | undefined>;
  const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as unknown as _FusedMatMulAttrs;
  const aValues = floatValues(backend, a!);
  const bValues = floatValues(backend, b!);
  if (!aValues || !bValues) return runCpuKernelSingle(_FusedMatMul, args);
  const result = batchMatMul(requireBlas().sgemm, a!.shape.slice(), aValues, b!.shape.slice(), bValues, transposeA, transposeB);
  if (needsCpuEpilogue(backend, bias, result.n, activation)) {
    return cpuEpilogue(backend, output(backend, result.shape, result.values), bias, activation, preluActivationWeights, leakyreluAlpha);
  }
  if (bias) addBiasInPlace(result.values, floatValues(backend, bias)!, result.n);
  activateInPlace(result.values, activation, leakyreluAlpha);
  return output(backend, result.shape, result.values);
}

export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: "cpu-blas",
  kernelFunc: fusedMatMulKernel as unknown as KernelConfig["kernelFunc"],
};
