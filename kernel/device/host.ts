/** CPU, memory and process figures for the device snapshot (cheap: no subprocess). */
import * as os from "node:os";
import type { CpuInfo, ProcessInfo } from "../runtime/device_snapshot.js";

let cpuModel: string | undefined;

/** The machine's CPU model, core count, load and memory. */
export function cpuInfo(): CpuInfo {
  cpuModel ??= os.cpus()[0]?.model?.trim() || os.arch();
  return {
    model: cpuModel,
    cores: typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length,
    loadAverage: process.platform === "win32" ? [] : os.loadavg(),
    totalMemoryBytes: os.totalmem(),
    freeMemoryBytes: os.freemem(),
  };
}

/** Measures this process's CPU use between calls. */
export class ProcessSampler {
  private lastUsage = process.cpuUsage();
  private lastTime = process.hrtime.bigint();

  /** Figures for this process; cpuPercent covers the time since the previous call (or construction). */
  sample(): ProcessInfo {
    const now = process.hrtime.bigint();
    const usage = process.cpuUsage();
    const wallMicros = Number(now - this.lastTime) / 1000;
    const cpuMicros = usage.user - this.lastUsage.user + (usage.system - this.lastUsage.system);
    this.lastUsage = usage;
    this.lastTime = now;
    const memory = process.memoryUsage();
    return {
      pid: process.pid,
      cpuPercent: wallMicros > 0 ? Math.max(0, (100 * cpuMicros) / wallMicros) : 0,
      residentBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
  }
}
