import { BatchMatMul, type BatchMatMulAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { batchMatMulImpl } from "../kernel_utils/matmul";

/** BatchMatMul through cuBLAS SGEMM (fp32; TF32 when enabled on the backend). */
export const batchMatMulConfig: KernelConfig = {
  kernelName: BatchMatMul,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { a, b } = inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    return batchMatMulImpl(backend as CudaBackend, a, b, transposeA, transposeB);
  },
};
