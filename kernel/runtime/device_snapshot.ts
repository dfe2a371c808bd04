/**
 * The device snapshot: what the kernel knows about its machine, sent to the
 * JupyterLab device panel over the `tsgpu.device` comm and (CPU/memory part)
 * in `usage_reply`. This file is the contract between the kernel and the
 * front end (`src/`), so it holds types only.
 *
 * Comm protocol (target name {@link DEVICE_COMM_TARGET}, opened by the front end):
 *   front end -> kernel  `{ "type": "snapshot_request" }`
 *   kernel -> front end  `{ "type": "snapshot", "snapshot": DeviceSnapshot }`
 * The kernel answers each request once; the front end asks about once a second
 * while the panel or status item is visible and stops when hidden.
 */

/** Name of the comm target the kernel registers for the device panel. */
export const DEVICE_COMM_TARGET = "tsgpu.device";

/** Version of the snapshot schema; bump when a field changes meaning. */
export const DEVICE_SNAPSHOT_VERSION = 1;

export interface CpuInfo {
  model: string;
  /** Logical cores. */
  cores: number;
  /** 1, 5 and 15 minute load averages (empty on platforms without them). */
  loadAverage: number[];
  totalMemoryBytes: number;
  freeMemoryBytes: number;
}

export interface ProcessInfo {
  pid: number;
  /** CPU use of the kernel's execution process, percent of one core, since the last sample. */
  cpuPercent: number;
  residentBytes: number;
  heapUsedBytes: number;
}

export interface GpuInfo {
  index: number;
  name: string;
  uuid?: string;
  /** e.g. "9.0" */
  computeCapability?: string;
  memoryUsedBytes?: number;
  memoryTotalBytes?: number;
  /** 0-100 */
  utilizationPercent?: number;
  temperatureCelsius?: number;
  powerWatts?: number;
  powerLimitWatts?: number;
  driverVersion?: string;
  cudaVersion?: string;
  /** Where the numbers came from: "nvml", "nvidia-smi", "webgpu". */
  source: string;
}

export interface BackendInfo {
  /** tfjs backend name: "cpu", "cpu-blas", "webgpu", "cuda", "tensorflow". */
  name: string;
  available: boolean;
  /** Why the backend cannot be used, when it cannot; what it uses when it can. */
  detail: string;
  active: boolean;
  /**
   * False until the backend has been probed (probing loads TensorFlow.js and
   * the backend's libraries, which the snapshot never does by itself).
   * Absent in older kernels: treat as checked.
   */
  checked?: boolean;
}

export interface TensorMemoryInfo {
  backend: string;
  numTensors: number;
  numBytes: number;
  /** Device bytes held by a caching allocator, when the backend has one. */
  reservedBytes?: number;
}

export interface DeviceSnapshot {
  version: typeof DEVICE_SNAPSHOT_VERSION;
  /** ms since epoch when the snapshot was taken. */
  time: number;
  hostname: string;
  cpu: CpuInfo;
  process: ProcessInfo;
  gpus: GpuInfo[];
  /** Why the GPU list is empty, when it is. */
  gpuNote?: string;
  backends: BackendInfo[];
  /** Present once tensors have been used in this kernel. */
  tensors?: TensorMemoryInfo;
}

export interface SnapshotRequest {
  type: "snapshot_request";
}

export interface SnapshotReply {
  type: "snapshot";
  snapshot: DeviceSnapshot;
}
