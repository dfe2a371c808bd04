import { type KernelConfig, type TensorInfo, Transpose, type TransposeAttrs } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { transposeImpl } from "../kernel_utils/copy";

/** Transpose by `perm` (a strided copy). */
export const transposeConfig: KernelConfig = {
  kernelName: Transpose,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => transposeImpl(backend as CudaBackend, inputs.x as TensorInfo, [...(attrs as unknown as TransposeAttrs).perm]),
};
