/**
 * Every backend tsgpu knows, in the order `devices()` lists them: one entry
 * per folder of `kernel/backends/` (see kernel/backends/backend_entry.ts).
 * cpu-blas and cuda load native libraries, so their modules are loaded by
 * path only when probed (plugin_backend.ts).
 */
import type { BackendEntry } from "../backends/backend_entry.js";
import { cpuBackend } from "../backends/cpu/index.js";
import { tensorflowBackend } from "../backends/tensorflow/index.js";
import { webgpuBackend } from "../backends/webgpu/index.js";
import { cpuDeviceName } from "../util/cpu_device.js";
import { pluginBackend } from "./plugin_backend.js";

export const BACKENDS: readonly BackendEntry[] = [
  cpuBackend,
  pluginBackend("cpu-blas", "../backends/cpu_blas/index.js", "registerCpuBlasBackend", "the fast CPU path (kernel/backends/cpu_blas) is not part of this build", () => cpuDeviceName()),
  webgpuBackend,
  pluginBackend("cuda", "../backends/cuda/index.js", "registerCudaBackend", "the cuda backend (kernel/backends/cuda) is not part of this build", (module) => {
    const diagnostics = (module["cudaDiagnostics"] as (() => { device?: { name?: string } }) | undefined)?.();
    return diagnostics?.device?.name;
  }),
  tensorflowBackend,
];
