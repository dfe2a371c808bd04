/** Machine information: CPU, memory, NVIDIA GPUs, for the device panel and `devices()`. */
export { collectMachineSnapshot } from "./machine.js";
export { registerDeviceCommTarget, type SnapshotCollector } from "./comm_target.js";
export { cpuInfo, ProcessSampler } from "./host.js";
export { NvidiaGpuReader, type NvidiaGpus } from "./nvidia_gpus.js";
export { parseCudaVersionFromBanner, parseNvidiaSmiCsv, queryNvidiaSmi } from "./nvidia_smi.js";
export { Nvml, NvmlError, NvmlLoadError } from "./nvml.js";
export * from "../runtime/device_snapshot.js";
