// Device numbers as the panel and status item show them.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { DeviceSnapshot } from "../../../kernel/runtime/device_snapshot.js";
import { backendGpu, formatBytes, formatUsage, gpuRows, hostRows, shortGpuName, statusText, tensorRows } from "../../../src/device/format.js";

const GiB = 1024 ** 3;
const snapshot: DeviceSnapshot = {
  version: 1,
  time: 0,
  hostname: "box",
  cpu: { model: "AMD EPYC", cores: 2, loadAverage: [0.5, 0.25, 0.125], totalMemoryBytes: 24 * GiB, freeMemoryBytes: 18 * GiB },
  process: { pid: 42, cpuPercent: 12.4, residentBytes: 300 * 1024 ** 2, heapUsedBytes: 1 },
  gpus: [{ index: 0, name: "NVIDIA H100 80GB HBM3", computeCapability: "9.0", memoryUsedBytes: 12 * GiB, memoryTotalBytes: 80 * GiB, utilizationPercent: 45, temperatureCelsius: 40.6, powerWatts: 120.2, powerLimitWatts: 700, driverVersion: "580.1", cudaVersion: "13.0", source: "nvml" }],
  backends: [{ name: "cuda", available: true, detail: "H100", active: true }],
  tensors: { backend: "cuda", numTensors: 12345, numBytes: 3 * 1024 ** 2 },
};

test("bytes use binary units with three significant digits", () => {
  assert.equal(formatBytes(512), "512 B");
  assert.equal(formatBytes(1536), "1.50 KiB");
  assert.equal(formatBytes(80 * GiB), "80.0 GiB");
  assert.equal(formatBytes(300 * 1024 ** 2), "300 MiB");
  assert.equal(formatBytes(undefined), "–");
  assert.equal(formatUsage(6 * GiB, 24 * GiB), "6.00 GiB / 24.0 GiB (25%)");
});

test("a GPU shows every field the kernel reported", () => {
  assert.deepEqual(gpuRows(snapshot.gpus[0]!), [
    { label: "Compute capability", value: "9.0" },
    { label: "Memory", value: "12.0 GiB / 80.0 GiB (15%)" },
    { label: "Utilisation", value: "45%" },
    { label: "Temperature", value: "41 °C" },
    { label: "Power", value: "120 W / 700 W" },
    { label: "Software", value: "driver 580.1, CUDA 13.0" },
    { label: "Source", value: "nvml" },
  ]);
});

test("a GPU seen only through WebGPU shows just its source", () => {
  assert.deepEqual(gpuRows({ index: 0, name: "llvmpipe", source: "webgpu" }), [{ label: "Source", value: "webgpu" }]);
});

test("host and tensor rows", () => {
  const host = Object.fromEntries(hostRows(snapshot).map((r) => [r.label, r.value]));
  assert.equal(host.CPU, "AMD EPYC (2 cores)");
  assert.equal(host.Memory, "6.00 GiB / 24.0 GiB (25%)");
  assert.equal(host.Load, "0.50 0.25 0.13");
  assert.equal(host["Kernel process"], "pid 42, 12% CPU, 300 MiB RSS");
  assert.deepEqual(tensorRows(snapshot).map((r) => r.value), ["cuda", "12,345", "3.00 MiB"]);
  assert.deepEqual(tensorRows({ ...snapshot, tensors: undefined }), []);
});

test("the status item shows what its setting asks for", () => {
  assert.equal(statusText(snapshot, "auto"), "cuda · H100 80GB HBM3 · 45% · 12.0 GiB / 80.0 GiB");
  assert.equal(statusText(snapshot, "memory"), "RAM 6.00 GiB / 24.0 GiB");
  assert.equal(statusText(snapshot, "tensors"), "cuda: 12,345 tensors, 3.00 MiB");
  assert.equal(statusText(snapshot, "none"), "");
  const cpuOnly = { ...snapshot, gpus: [], tensors: undefined, backends: [] };
  assert.equal(statusText(cpuOnly, "auto"), "RAM 6.00 GiB / 24.0 GiB · no tensors");
  assert.equal(statusText(cpuOnly, "gpu"), "no GPU");
  assert.equal(shortGpuName("NVIDIA GeForce RTX 4090"), "RTX 4090");
});

test("the status item names the backend in use, not a WebGPU adapter it does not use", () => {
  const llvmpipe = { index: 0, name: "llvmpipe (software)", source: "webgpu" };
  const backends = [
    { name: "cpu-blas", available: true, detail: "OpenBLAS", active: true },
    { name: "webgpu", available: true, detail: "llvmpipe", active: false },
  ];
  const afterUseCpuBlas: DeviceSnapshot = { ...snapshot, gpus: [llvmpipe], backends, tensors: { backend: "cpu-blas", numTensors: 12, numBytes: 3 * 1024 ** 2 } };
  assert.equal(statusText(afterUseCpuBlas, "auto"), "cpu-blas · RAM 6.00 GiB / 24.0 GiB · 12 tensors, 3.00 MiB");
  assert.equal(backendGpu(afterUseCpuBlas), undefined);
  const onWebGpu = { ...afterUseCpuBlas, backends: backends.map((b) => ({ ...b, active: b.name === "webgpu" })) };
  assert.equal(statusText(onWebGpu, "auto"), "webgpu · llvmpipe (software)");
  const cpuBlasBesideH100 = { ...afterUseCpuBlas, gpus: [snapshot.gpus[0]!, { ...llvmpipe, index: 1 }] };
  assert.match(statusText(cpuBlasBesideH100, "auto"), /^cpu-blas · RAM/);
  assert.equal(statusText(cpuBlasBesideH100, "gpu"), "H100 80GB HBM3 · 45% · 12.0 GiB / 80.0 GiB", "the gpu setting still shows the hardware GPU");
  const nothingUsedYet = { ...afterUseCpuBlas, backends: backends.map((b) => ({ ...b, active: false })), tensors: undefined };
  assert.equal(statusText(nothingUsedYet, "auto"), "RAM 6.00 GiB / 24.0 GiB · no tensors", "a software adapter is never shown before webgpu is used");
});
