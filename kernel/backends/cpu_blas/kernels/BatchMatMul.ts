import { BatchMatMul, type BatchMatMulAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { requireBlas } from "../ffi/blas_library.js";
import { batchMatMul } from "../kernel_utils/batch_matmul.js";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";

/** BatchMatMul (tf.matMul) through sgemm; non-float32 operands use tfjs's cpu kernel. */
export function batchMatMulKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = args.attrs as unknown as BatchMatMulAttrs;
  const aValues = floatValues(backend, a);
  const bValues = floatValues(backend, b);
  if (!aValues || !bValues) return runCpuKernelSingle(BatchMatMul, args);
  const result = batchMatMul(requireBlas().sgemm, a.shape.slice(), aValues, b.shape.slice(), bValues, transposeA, transposeB);
  return output(backend, result.shape, result.values);
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: "cpu-blas",
  kernelFunc: batchMatMulKernel as unknown as KernelConfig["kernelFunc"],
};
