/**
 * `collectMachineSnapshot()`: what this machine has (CPU, memory, this
 * process, NVIDIA GPUs) as a {@link DeviceSnapshot} with no tensor backends;
 * kernel/monitor/snapshot.ts adds what the tensor runtime knows. Cheap enough
 * to call every second (NVML calls, or one nvidia-smi run) and never throws: a
 * part that fails is left out or explained in a note.
 */
import * as os from "node:os";
import { DEVICE_SNAPSHOT_VERSION, type DeviceSnapshot, type GpuInfo } from "../runtime/device_snapshot.js";
import { cpuInfo, ProcessSampler } from "./host.js";
import { NvidiaGpuReader } from "./nvidia_gpus.js";

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

/** Takes a snapshot of the machine (`backends` empty). Resolves even if every source fails. */
export async function collectMachineSnapshot(): Promise<DeviceSnapshot> {
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
  if (gpus.length > 0) gpuNote = undefined;
  const snapshot: DeviceSnapshot = {
    version: DEVICE_SNAPSHOT_VERSION,
    time: Date.now(),
    hostname: os.hostname(),
    cpu: cpuInfo(),
    process: sampler.sample(),
    gpus,
    backends: [],
  };
  if (gpuNote !== undefined) snapshot.gpuNote = gpuNote;
  return snapshot;
}
