/**
 * `collectDeviceSnapshot()`: the whole {@link DeviceSnapshot} for the device
 * panel and `devices()`: the machine (kernel/device/) plus what the tensor
 * runtime knows (kernel/tensor/: backends, the WebGPU adapter, tensor memory).
 * It sits above both so that neither imports the other. Cheap enough to call
 * every second (no backend is started by it) and never throws: a part that
 * fails is left out or explained in a note.
 */
import { collectMachineSnapshot } from "../device/machine.js";
import type { DeviceSnapshot } from "../runtime/device_snapshot.js";
import { backendStatusList, loadedTensorMemory, webgpuAdapterGpu } from "../tensor/index.js";

/** Takes a device snapshot. Resolves even if every source fails. */
export async function collectDeviceSnapshot(): Promise<DeviceSnapshot> {
  const machine = await collectMachineSnapshot();
  const gpus = machine.gpus;
  let gpuNote = machine.gpuNote;
  const webgpu = safe(() => webgpuAdapterGpu(gpus.length));
  if (webgpu) gpus.push(webgpu);
  if (gpus.length > 0) gpuNote = gpus.every((g) => g.source === "webgpu") ? gpuNote : undefined;
  const snapshot: DeviceSnapshot = {
    version: machine.version,
    time: machine.time,
    hostname: machine.hostname,
    cpu: machine.cpu,
    process: machine.process,
    gpus,
    backends: safe(() => backendStatusList()) ?? [],
  };
  if (gpuNote !== undefined) snapshot.gpuNote = gpuNote;
  const tensors = safe(() => loadedTensorMemory());
  if (tensors) snapshot.tensors = tensors;
  return snapshot;
}

function safe<T>(read: () => T): T | undefined {
  try {
    return read();
  } catch {
    return undefined;
  }
}
