/**
 * The `webgpu` backend: tfjs-backend-webgpu on Dawn (npm `webgpu`), set up
 * as `adapter.ts` describes, wrapped by `backend_webgpu.ts`, and offered
 * only after `known_computation_check.ts` gets a known computation right on it. When
 * Dawn offers several paths (Vulkan, OpenGL ES, OpenGL), the first one that
 * passes the check is kept.
 * Registered at priority 0 so it never becomes the default by itself
 * (tfjs-backend-webgpu registers itself at priority 3 on import; tsgpu
 * replaces that registration).
 */
import { type BackendEntry, type BackendHost, type ProbeResult, reasonOf, type Tfjs } from "../backend_entry.js";
import { type WebGpuDevice, webGpuDevices } from "./adapter.js";
import { checkedWebGpuBackendClass } from "./backend_webgpu.js";
import { checkKnownComputation } from "./known_computation_check.js";

export const webgpuBackend: BackendEntry = {
  name: "webgpu",
  probe: (host) => probeWebGpu(host),
};

/**
 * Tries each device from `candidates` (normally {@link webGpuDevices}):
 * registers the checked backend on it and runs the known computation; keeps
 * the first that passes, unregisters and reports every failure otherwise.
 */
export async function probeWebGpu(host: BackendHost, candidates: () => AsyncIterable<WebGpuDevice> = () => webGpuDevices()): Promise<ProbeResult> {
  const tf = host.tfjs();
  const refusals: string[] = [];
  try {
    for await (const gpu of candidates()) {
      const where = `${gpu.details} via Dawn ${gpu.path}`;
      try {
        register(host, gpu);
      } catch (error) {
        return { available: false, detail: `tfjs-backend-webgpu does not load: ${reasonOf(error)}` };
      }
      const problem = await runOnBackend(host, "webgpu", () => checkKnownComputation(tf)).catch((error: unknown) => `check failed: ${reasonOf(error)}`);
      if (problem === undefined) return accepted(host, gpu, where);
      unregister(tf); // the device itself is left to the garbage collector: destroying it can make Dawn abort at exit
      refusals.push(`${where} gives wrong results (${problem})`);
    }
  } catch (error) {
    if (refusals.length === 0) return { available: false, detail: reasonOf(error) };
  }
  return { available: false, detail: `refused: ${refusals.join("; ")}` };
}

function register(host: BackendHost, gpu: WebGpuDevice): void {
  const tf = host.tfjs();
  if (!host.sharesTfjsCore("@tensorflow/tfjs-backend-webgpu")) {
    throw new Error("@tensorflow/tfjs-backend-webgpu uses its own copy of @tensorflow/tfjs-core; run npm dedupe");
  }
  const pkg = require("@tensorflow/tfjs-backend-webgpu") as typeof import("@tensorflow/tfjs-backend-webgpu");
  unregister(tf);
  const Backend = checkedWebGpuBackendClass(pkg.WebGPUBackend);
  tf.registerBackend("webgpu", () => new Backend(gpu.device, gpu.adapter.info), 0);
}

function unregister(tf: Tfjs): void {
  if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
}

function accepted(host: BackendHost, gpu: WebGpuDevice, where: string): ProbeResult {
  host.recordWebGpuAdapter({
    description: gpu.description,
    software: gpu.software,
    path: gpu.path,
    maxBufferBytes: Math.min(gpu.device.limits["maxStorageBufferBindingSize"] ?? Infinity, gpu.device.limits["maxBufferSize"] ?? Infinity),
  });
  const note = gpu.software ? " (a CPU software renderer: correct but slower than the cpu backend; a GPU stand-in for tests)" : "";
  return { available: true, detail: `${where}${note}; read results with await tensor.data(), dataSync() cannot work in Node`, device: gpu.software ? `${gpu.description} (software)` : gpu.description, software: gpu.software, nativeLog: gpu.nativeLog };
}

/**
 * Runs `work` with `backend` active, then restores the backend that was
 * active before (initialising the default first if none was, so the
 * user's default is what it would have been).
 */
export async function runOnBackend<T>(host: BackendHost, backend: string, work: () => Promise<T>): Promise<T> {
  const tf = host.tfjs();
  await tf.ready();
  const previous = tf.getBackend();
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") failed (see the warning above)`);
  try {
    return await work();
  } finally {
    await host.switchBackend(previous);
  }
}
