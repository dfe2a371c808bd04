/**
 * Cheap, synchronous reads of the tensor runtime's state for the device
 * snapshot: never loads tfjs, never starts a backend, never throws.
 */
import type { BackendInfo, GpuInfo, TensorMemoryInfo } from "../runtime/device_snapshot.js";
import { BACKEND_NAMES } from "./backend_names.js";
import { registryState } from "./state.js";
import { loadedTfjsCore } from "./tfjs.js";

/** Each known backend with what its probe found, or "not checked yet". */
export function backendStatusList(): BackendInfo[] {
  const state = registryState();
  const core = loadedTfjsCore();
  let active: string | undefined;
  try {
    active = (core?.engine() as { backendName?: string } | undefined)?.backendName ?? undefined;
  } catch {
    active = undefined;
  }
  return BACKEND_NAMES.map((name) => {
    const result = state.results.get(name);
    return {
      name,
      available: result?.available ?? false,
      detail: result?.detail ?? "not checked yet: run await devices() (or await use(name))",
      active: name === active,
      checked: result !== undefined,
    };
  });
}

/** tf.memory() of the active backend, if tfjs is loaded and a backend is active. */
export function loadedTensorMemory(): TensorMemoryInfo | undefined {
  const core = loadedTfjsCore();
  if (!core) return undefined;
  const engine = core.engine() as { backendName?: string | null };
  if (!engine.backendName) return undefined;
  const memory = core.memory() as { numTensors: number; numBytes: number; numBytesInGPUAllocated?: number; numBytesAllocatedInGPU?: number };
  const info: TensorMemoryInfo = { backend: engine.backendName, numTensors: memory.numTensors, numBytes: memory.numBytes };
  const reserved = memory.numBytesAllocatedInGPU ?? memory.numBytesInGPUAllocated;
  if (typeof reserved === "number") info.reservedBytes = reserved;
  return info;
}

/** The WebGPU adapter as a GPU entry, once the webgpu backend has been found to work. */
export function webgpuAdapterGpu(index: number): GpuInfo | undefined {
  const webgpu = registryState().webgpu;
  if (!webgpu) return undefined;
  return { index, name: `${webgpu.description}${webgpu.software ? " (software)" : ""}`, source: "webgpu" };
}
