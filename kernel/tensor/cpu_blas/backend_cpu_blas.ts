/**
 * The "cpu-blas" tfjs backend: tfjs's MathBackendCPU (JS typed-array storage)
 * with the heavy kernels (matmul, conv2d and gradients, pooling) replaced by
 * BLAS-backed ones. All of tfjs's cpu kernels are registered again under the
 * new name, so every op works; ours take precedence for the kernels they cover.
 */
import "@tensorflow/tfjs-backend-cpu";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { getKernelsForBackend, registerBackend, registerKernel } from "@tensorflow/tfjs-core";
import { cpuBlasKernelConfigs } from "./register_all_kernels.js";

/** Name under which the backend is registered with tfjs. */
export const CPU_BLAS_BACKEND = "cpu-blas";

/** MathBackendCPU without its "install tfjs-node" notice (this backend is the fast path). */
export class MathBackendCpuBlas extends MathBackendCPU {
  constructor() {
    super();
    // tfjs prints a tfjs-node advertisement on the first write of a cpu backend in Node.
    (this as unknown as { firstUse: boolean }).firstUse = false;
  }
}

let registered = false;

/** Registers the backend and its kernels with tfjs (once); `priority` as in tf.registerBackend. */
export function registerCpuBlasWithTfjs(priority = 0): void {
  if (registered) return;
  const ours = new Set(cpuBlasKernelConfigs.map((config) => config.kernelName));
  for (const config of getKernelsForBackend("cpu")) {
    if (!ours.has(config.kernelName)) registerKernel({ ...config, backendName: CPU_BLAS_BACKEND });
  }
  for (const config of cpuBlasKernelConfigs) registerKernel(config);
  registerBackend(CPU_BLAS_BACKEND, () => new MathBackendCpuBlas(), priority);
  registered = true;
}
