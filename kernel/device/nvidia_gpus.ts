/**
 * NVIDIA GPUs for the snapshot: NVML by FFI first, `nvidia-smi` second, and a
 * note saying why the list is empty otherwise. Failures are remembered so a
 * machine without a GPU pays for the search once, not every second.
 */
import { queryNvidiaSmi } from "./nvidia_smi.js";
import { Nvml, NvmlLoadError } from "./nvml.js";
import type { GpuInfo } from "../runtime/device_snapshot.js";

export interface NvidiaGpus {
  gpus: GpuInfo[];
  /** Why `gpus` is empty, when it is. */
  note?: string;
}

/** Seconds before nvidia-smi is tried again after it failed to run. */
const SMI_RETRY_MS = 60_000;

export class NvidiaGpuReader {
  private nvml: Nvml | undefined;
  private nvmlError: string | undefined;
  private smiFailedAt = -Infinity;
  private smiError: string | undefined;

  constructor(private readonly smiCommand = "nvidia-smi") {}

  /** Never throws; an empty list comes with a note. */
  async read(): Promise<NvidiaGpus> {
    if (!this.nvml && this.nvmlError === undefined) {
      try {
        this.nvml = Nvml.open();
      } catch (error) {
        const missing = error instanceof NvmlLoadError && error.failures.every((f) => /No such file or directory/.test(f));
        this.nvmlError = missing ? "libnvidia-ml.so.1 not found (no NVIDIA driver)" : firstLine(error, 300);
      }
    }
    if (this.nvml) {
      try {
        const gpus = this.nvml.gpus();
        return gpus.length ? { gpus } : { gpus, note: "NVML reports no NVIDIA GPU" };
      } catch (error) {
        this.nvmlError = firstLine(error);
        this.nvml = undefined;
      }
    }
    if (Date.now() - this.smiFailedAt > SMI_RETRY_MS) {
      try {
        const gpus = await queryNvidiaSmi(this.smiCommand);
        return gpus.length ? { gpus } : { gpus, note: "nvidia-smi reports no NVIDIA GPU" };
      } catch (error) {
        this.smiFailedAt = Date.now();
        this.smiError = (error as NodeJS.ErrnoException).code === "ENOENT" ? `${this.smiCommand} not found` : firstLine(error);
      }
    }
    return { gpus: [], note: `No NVIDIA GPU found (NVML: ${this.nvmlError ?? "not loaded"}; nvidia-smi: ${this.smiError ?? "not tried"})` };
  }
}

function firstLine(error: unknown, limit = 200): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.slice(0, limit);
}
