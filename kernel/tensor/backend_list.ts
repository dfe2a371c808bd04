/**
 * Every backend tsgpu knows, in the order `devices()` lists them. To add a
 * backend, add one entry (see backend_entry.ts and backends/plugin.ts).
 */
import type { BackendEntry } from "./backend_entry.js";
import { cpuBackend } from "./backends/cpu.js";
import { cpuDeviceName } from "./backends/cpu_device.js";
import { pluginBackend } from "./backends/plugin.js";
import { tensorflowBackend } from "./backends/tensorflow.js";
import { webgpuBackend } from "./backends/webgpu.js";

export const BACKENDS: readonly BackendEntry[] = [
  cpuBackend,
  pluginBackend("cpu-blas", "./cpu_blas/index.js", "registerCpuBlasBackend", "the fast CPU path (kernel/tensor/cpu_blas) is not part of this build", () => cpuDeviceName()),
  webgpuBackend,
  pluginBackend("cuda", "../cuda/index.js", "registerCudaBackend", "the cuda backend (kernel/cuda) is not part of this build", (module) => {
    const diagnostics = (module["cudaDiagnostics"] as (() => { device?: { name?: string } }) | undefined)?.();
    return diagnostics?.device?.name;
  }),
  tensorflowBackend,
];
