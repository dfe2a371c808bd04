import { BatchMatMul, type BatchMatMulAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { batchMatMulImpl } from "../kernel_utils/matmul";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** BatchMatMul through cuBLAS SGEMM (fp32; TF32 when enabled on the backend). */
export const batchMatMulConfig = cudaKernel(BatchMatMul, ({ inputs, cuda, attrs }) => {
  const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
  const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
  return batchMatMulImpl(cuda, a, b, transposeA, transposeB);
});
