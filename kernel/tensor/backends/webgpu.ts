/**
 * The `webgpu` backend: tfjs-backend-webgpu on Dawn (npm `webgpu`), set up
 * as `webgpu_adapter.ts` describes, wrapped by `webgpu_backend.ts`, and offered
 * only after `webgpu_check.ts` gets a known computation right on it.
 * Registered at priority 0 so it never becomes the default by itself
 * (tfjs-backend-webgpu registers itself at priority 3 on import; tsgpu
 * replaces that registration).
 */
import { type BackendEntry, type ProbeResult, reasonOf } from "../backend_entry.js";
import { registryState } from "../state.js";
import { sharesTfjsCore, tfjs } from "../tfjs.js";
import { requestWebGpuDevice, type WebGpuDevice } from "../webgpu_adapter.js";
import { checkedWebGpuBackendClass } from "../webgpu_backend.js";
import { checkKnownComputation } from "../webgpu_check.js";

export const webgpuBackend: BackendEntry = {
  name: "webgpu",
  probe: () => probeWebGpu(),
};

/**
 * Gets a device (`request`, normally {@link requestWebGpuDevice}), registers
 * the checked backend on it and runs the known computation; unregisters it
 * again when the results are wrong.
 */
export async function probeWebGpu(request: () => Promise<WebGpuDevice> = () => requestWebGpuDevice()): Promise<ProbeResult> {
  let gpu: WebGpuDevice;
  try {
    gpu = await request();
  } catch (error) {
    return { available: false, detail: reasonOf(error) };
  }
  const tf = tfjs();
  try {
    if (!sharesTfjsCore("@tensorflow/tfjs-backend-webgpu")) {
      return { available: false, detail: "@tensorflow/tfjs-backend-webgpu uses its own copy of @tensorflow/tfjs-core; run npm dedupe" };
    }
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const pkg = require("@tensorflow/tfjs-backend-webgpu") as typeof import("@tensorflow/tfjs-backend-webgpu");
    if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
    const Backend = checkedWebGpuBackendClass(pkg.WebGPUBackend);
    tf.registerBackend("webgpu", () => new Backend(gpu.device, gpu.adapter.info), 0);
  } catch (error) {
    return { available: false, detail: `tfjs-backend-webgpu does not load: ${reasonOf(error)}` };
  }
  const where = `${gpu.details} via Dawn ${gpu.path}`;
  const problem = await runOnBackend(tf, "webgpu", () => checkKnownComputation(tf)).catch((error: unknown) => `check failed: ${reasonOf(error)}`);
  if (problem !== undefined) {
    if (tf.findBackendFactory("webgpu")) tf.removeBackend("webgpu");
    return { available: false, detail: `refused: ${where} gives wrong results (${problem})` };
  }
  registryState().webgpu = {
    description: gpu.description,
    software: gpu.software,
    path: gpu.path,
    maxBufferBytes: Math.min(gpu.device.limits["maxStorageBufferBindingSize"] ?? Infinity, gpu.device.limits["maxBufferSize"] ?? Infinity),
  };
  const note = gpu.software ? " (a CPU software renderer: correct but slower than the cpu backend; a GPU stand-in for tests)" : "";
  return { available: true, detail: `${where}${note}; read results with await tensor.data(), dataSync() cannot work in Node`, device: gpu.description };
}

/**
 * Runs `work` with `backend` active, then restores the backend that was
 * active before (initialising the default first if none was, so the
 * user's default is what it would have been).
 */
export async function runOnBackend<T>(tf: ReturnType<typeof tfjs>, backend: string, work: () => Promise<T>): Promise<T> {
  await tf.ready();
  const previous = tf.getBackend();
  if (!(await tf.setBackend(backend))) throw new Error(`tf.setBackend("${backend}") failed (see the warning above)`);
  try {
    return await work();
  } finally {
    await tf.setBackend(previous);
  }
}
