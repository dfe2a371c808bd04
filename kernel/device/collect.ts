/**
 * `collectDeviceSnapshot()`: the whole {@link DeviceSnapshot} for the device
 * panel, `usage_reply` and `devices()`. Cheap enough to call every second
 * (NVML calls, or one nvidia-smi run; no backend is started by it) and never
 * throws: a part that fails is left out or explained in a note.
 */
import * as os from "node:os";
import { backendStatusList, loadedTensorMemory, webgpuAdapterGpu } from "../tensor/status.js";
import { cpuInfo, ProcessSampler } from "./host.js";
import { NvidiaGpuReader } from "./nvidia_gpus.js";
import { DEVICE_SNAPSHOT_VERSION, type DeviceSnapshot, type GpuInfo } from "./snapshot.js";

const SAMPLER_KEY = Symbol.for("tsgpu.device.collector");

interface Collector {
  sampler: ProcessSampler;
  nvidia: NvidiaGpuReader;
}

/** One collector per process, shared by every copy of this module. */
function collector(): Collector {
  const holder = globalThis as { [SAMPLER_KEY]?: Collector };
  return (holder[SAMPLER_KEY] ??= { sampler: new ProcessSampler(), nvidia: new NvidiaGpuReader() });
}

/** Takes a device snapshot. Resolves even if every source fails. */
export async function collectDeviceSnapshot(): Promise<DeviceSnapshot> {
  const { sampler, nvidia } = collector();
  let gpus: GpuInfo[] = [];
  let gpuNote: string | undefined;
  try {
    const found = await nvidia.read();
    gpus = found.gpus;
    gpuNote = found.note;
  } catch (error) {
    gpuNote = `GPU query failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  const webgpu = safe(() => webgpuAdapterGpu(gpus.length));
  if (webgpu) gpus.push(webgpu);
  if (gpus.length > 0) gpuNote = gpus.every((g) => g.source === "webgpu") ? gpuNote : undefined;
  const snapshot: DeviceSnapshot = {
    version: DEVICE_SNAPSHOT_VERSION,
    time: Date.now(),
    hostname: os.hostname(),
    cpu: cpuInfo(),
    process: sampler.sample(),
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
