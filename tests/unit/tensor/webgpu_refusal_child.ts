/**
 * Child process of webgpu_refusal.test.ts: probes WebGPU on devices with
 * WebGPU's default limits and prints the result as one JSON line.
 */
import * as tf from "@tensorflow/tfjs";
import { probeWebGpu } from "../../../kernel/backends/webgpu/index.js";
import { runtimeHost } from "../../../kernel/tensor/backend_entry.js";
import { webGpuDevices } from "../../../kernel/backends/webgpu/adapter.js";

void (async () => {
  const result = await probeWebGpu(runtimeHost(), () => webGpuDevices({ raiseLimits: false }));
  const report = { ...result, stillRegistered: tf.findBackendFactory("webgpu") !== null, backend: tf.getBackend() };
  // stdout is a pipe, written synchronously on Linux. The process then ends without running
  // Dawn's teardown, which after validation errors on llvmpipe sometimes hangs or aborts.
  process.stdout.write(`RESULT ${JSON.stringify(report)}\n`);
  process.kill(process.pid, "SIGKILL");
})();
