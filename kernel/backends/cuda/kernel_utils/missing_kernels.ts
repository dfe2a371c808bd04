/**
 * Kernels tfjs's cpu backend has and cuda does not: each is registered for
 * "cuda" as a stand-in that throws {@link CudaKernelNotImplementedError},
 * naming the kernel and the backend that runs it, instead of tfjs's bare
 * "Kernel 'X' not registered for backend 'cuda'". Registered after the real
 * kernels, only for names they leave out.
 */
import { getKernelsForBackend, type KernelConfig } from "@tensorflow/tfjs-core";
import { CudaKernelNotImplementedError } from "../errors";

/** Stand-ins for the cpu backend's kernels that `implemented` lacks. */
export function missingKernelConfigs(implemented: readonly KernelConfig[]): KernelConfig[] {
  const have = new Set(implemented.map((c) => c.kernelName));
  return getKernelsForBackend("cpu")
    .map((c) => c.kernelName)
    .filter((name) => !have.has(name))
    .map((kernelName) => ({
      kernelName,
      backendName: "cuda",
      kernelFunc: () => {
        throw new CudaKernelNotImplementedError(kernelName);
      },
    }));
}
