/**
 * tsgpu's tensor runtime on TensorFlow.js: backends and their selection,
 * device information, timing and comparisons, training feedback, memory.
 *
 *   import * as tf from "@tensorflow/tfjs";
 *   import { devices, use, compare, trainingChart, memory } from "tsgpu";
 */
export type { BackendEntry, ProbeResult } from "./backend_entry.js";
export { type CompareOptions, Comparison, compare, type Workload } from "./compare.js";
export { BackendUnavailableError, formatBytes, OutOfMemoryError, TensorRuntimeError } from "./errors.js";
export { describeOutOfMemory, memory, type TensorMemory, withOutOfMemoryReport } from "./memory.js";
export { type BackendStatus, knownBackends, probeBackend, probeBackends, use } from "./registry.js";
export { switchBackend } from "./switch_backend.js";
export { backendStatusList, loadedTensorMemory, webgpuAdapterGpu } from "./status.js";
export { median, summarise, synchronize, type Timing, type TimingOptions, time } from "./timing.js";
export { trainingChart, type TrainingChartCallback, type TrainingChartOptions } from "./training_chart.js";
export { WebGpuDeviceError } from "../backends/webgpu/backend_webgpu.js";
