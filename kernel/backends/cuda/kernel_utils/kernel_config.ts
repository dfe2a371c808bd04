/**
 * The one way a cuda kernel is declared: `cudaKernel(KernelName, run)` makes
 * the tfjs KernelConfig, so a kernel file holds only what its kernel does.
 */
import type { KernelConfig, NamedAttrMap, NamedTensorInfoMap, TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";

/** What a cuda kernel receives: the backend (typed), the named inputs and the attributes. */
export interface CudaKernelArgs {
  cuda: CudaBackend;
  inputs: NamedTensorInfoMap;
  attrs: NamedAttrMap;
}

/** The KernelConfig of `kernelName` on the cuda backend, running `run`. */
export function cudaKernel(kernelName: string, run: (args: CudaKernelArgs) => TensorInfo | TensorInfo[]): KernelConfig {
  return {
    kernelName,
    backendName: "cuda",
    kernelFunc: ({ inputs, backend, attrs }) => run({ cuda: backend as CudaBackend, inputs, attrs: attrs ?? {} }),
  };
}
