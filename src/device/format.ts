/**
 * Pure formatting of device numbers for the panel and the status item.
 * No DOM and no JupyterLab imports, so unit tests run it in plain Node.
 */
import type { DeviceSnapshot, GpuInfo } from "../../kernel/runtime/device_snapshot";

const UNITS = ["B", "KiB", "MiB", "GiB", "TiB"];

/** Bytes in binary units with 3 significant digits: 1536 -> "1.50 KiB". */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined || !Number.isFinite(bytes)) return "–";
  if (bytes < 0) return `-${formatBytes(-bytes)}`;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  if (unit === 0) return `${value} B`;
  return `${value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2)} ${UNITS[unit]}`;
}

/** "used / total" in the unit of the total, with the percentage when both are known. */
export function formatUsage(used: number | undefined, total: number | undefined): string {
  if (used === undefined && total === undefined) return "–";
  if (total === undefined || total <= 0) return formatBytes(used);
  if (used === undefined) return `? / ${formatBytes(total)}`;
  return `${formatBytes(used)} / ${formatBytes(total)} (${Math.round((100 * used) / total)}%)`;
}

/** A percentage with no decimals, or "–" when unknown. */
export function formatPercent(value: number | undefined): string {
  return value === undefined || !Number.isFinite(value) ? "–" : `${Math.round(value)}%`;
}

/** A count with thousands separators: 12345 -> "12,345". */
export function formatCount(value: number | undefined): string {
  return value === undefined ? "–" : Math.round(value).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** Power as "120 W / 700 W" (limit when known). */
export function formatPower(watts: number | undefined, limit: number | undefined): string {
  if (watts === undefined) return "–";
  return limit === undefined ? `${Math.round(watts)} W` : `${Math.round(watts)} W / ${Math.round(limit)} W`;
}

/** One labelled row of the panel. */
export interface DeviceRow {
  label: string;
  value: string;
}

/** Rows describing one GPU; fields the kernel did not report are left out. */
export function gpuRows(gpu: GpuInfo): DeviceRow[] {
  const rows: DeviceRow[] = [];
  if (gpu.computeCapability !== undefined) rows.push({ label: "Compute capability", value: gpu.computeCapability });
  if (gpu.memoryUsedBytes !== undefined || gpu.memoryTotalBytes !== undefined) {
    rows.push({ label: "Memory", value: formatUsage(gpu.memoryUsedBytes, gpu.memoryTotalBytes) });
  }
  if (gpu.utilizationPercent !== undefined) rows.push({ label: "Utilisation", value: formatPercent(gpu.utilizationPercent) });
  if (gpu.temperatureCelsius !== undefined) rows.push({ label: "Temperature", value: `${Math.round(gpu.temperatureCelsius)} °C` });
  if (gpu.powerWatts !== undefined) rows.push({ label: "Power", value: formatPower(gpu.powerWatts, gpu.powerLimitWatts) });
  const versions = [gpu.driverVersion && `driver ${gpu.driverVersion}`, gpu.cudaVersion && `CUDA ${gpu.cudaVersion}`].filter(Boolean);
  if (versions.length > 0) rows.push({ label: "Software", value: versions.join(", ") });
  rows.push({ label: "Source", value: gpu.source });
  return rows;
}

/** Rows for the host: CPU, memory, the kernel process. */
export function hostRows(snapshot: DeviceSnapshot): DeviceRow[] {
  const { cpu, process } = snapshot;
  const used = cpu.totalMemoryBytes - cpu.freeMemoryBytes;
  const rows: DeviceRow[] = [
    { label: "CPU", value: `${cpu.model} (${cpu.cores} cores)` },
    { label: "Memory", value: formatUsage(used, cpu.totalMemoryBytes) },
  ];
  if (cpu.loadAverage.length > 0) rows.push({ label: "Load", value: cpu.loadAverage.map((l) => l.toFixed(2)).join(" ") });
  rows.push({ label: "Kernel process", value: `pid ${process.pid}, ${formatPercent(process.cpuPercent)} CPU, ${formatBytes(process.residentBytes)} RSS` });
  return rows;
}

/** Rows for live tensors, when the kernel has used tensors. */
export function tensorRows(snapshot: DeviceSnapshot): DeviceRow[] {
  const tensors = snapshot.tensors;
  if (tensors === undefined) return [];
  const rows: DeviceRow[] = [
    { label: "Backend", value: tensors.backend },
    { label: "Live tensors", value: formatCount(tensors.numTensors) },
    { label: "Tensor bytes", value: formatBytes(tensors.numBytes) },
  ];
  if (tensors.reservedBytes !== undefined) rows.push({ label: "Reserved", value: formatBytes(tensors.reservedBytes) });
  return rows;
}

/** What the status item shows (setting `statusItem`). */
export type StatusItemContent = "auto" | "gpu" | "memory" | "tensors" | "none";

/** The tfjs backend in use in the kernel, when one is (tensors have been used). */
export function activeBackend(snapshot: DeviceSnapshot): string | undefined {
  return snapshot.backends.find((b) => b.active)?.name;
}

/**
 * The GPU the backend in use runs on: the WebGPU adapter for `webgpu`, the
 * first GPU the driver reports (NVML, nvidia-smi) for `cuda` and
 * `tensorflow`, none for CPU backends. With no backend in use yet, the first
 * hardware GPU (never a WebGPU adapter, which may be a software renderer).
 */
export function backendGpu(snapshot: DeviceSnapshot): GpuInfo | undefined {
  const backend = activeBackend(snapshot);
  const hardware = snapshot.gpus.find((g) => g.source !== "webgpu");
  if (backend === undefined) return hardware;
  if (backend === "webgpu") return snapshot.gpus.find((g) => g.source === "webgpu");
  if (backend === "cuda" || backend === "tensorflow") return hardware;
  return undefined;
}

/**
 * The status bar text for a snapshot, naming the backend in use, e.g.
 * "cuda · H100 80GB HBM3 · 45% · 12.0 GiB / 80.0 GiB" or
 * "cpu-blas · RAM 6.00 GiB / 24.0 GiB · 12 tensors, 3.00 MiB".
 */
export function statusText(snapshot: DeviceSnapshot, content: StatusItemContent): string {
  const backend = activeBackend(snapshot);
  const gpu = backendGpu(snapshot);
  const gpuText = (g: GpuInfo) => {
    const parts = [shortGpuName(g.name)];
    if (g.utilizationPercent !== undefined) parts.push(formatPercent(g.utilizationPercent));
    if (g.memoryUsedBytes !== undefined) parts.push(`${formatBytes(g.memoryUsedBytes)} / ${formatBytes(g.memoryTotalBytes)}`);
    return parts.join(" · ");
  };
  const memoryText = () => `RAM ${formatBytes(snapshot.cpu.totalMemoryBytes - snapshot.cpu.freeMemoryBytes)} / ${formatBytes(snapshot.cpu.totalMemoryBytes)}`;
  const tensorCount = () => (snapshot.tensors ? `${formatCount(snapshot.tensors.numTensors)} tensors, ${formatBytes(snapshot.tensors.numBytes)}` : "no tensors");
  const tensorText = () => (snapshot.tensors ? `${snapshot.tensors.backend}: ${tensorCount()}` : "no tensors");
  const named = (text: string) => (backend ? `${backend} · ${text}` : text);
  switch (content) {
    case "none":
      return "";
    case "gpu": {
      const shown = gpu ?? snapshot.gpus.find((g) => g.source !== "webgpu");
      return shown ? gpuText(shown) : "no GPU";
    }
    case "memory":
      return memoryText();
    case "tensors":
      return tensorText();
    case "auto":
      return gpu ? named(gpuText(gpu)) : backend ? named(`${memoryText()} · ${tensorCount()}`) : `${memoryText()} · ${tensorText()}`;
  }
}

/** "NVIDIA H100 80GB HBM3" -> "H100 80GB HBM3": the vendor adds nothing in a status bar. */
export function shortGpuName(name: string): string {
  return name.replace(/^NVIDIA\s+(GeForce\s+)?/i, "");
}
