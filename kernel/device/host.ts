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

/** The two clocks {@link ProcessSampler} reads, both in microseconds; tests pass their own. */
export interface ProcessClock {
  /** CPU time this process has used (user + system, all threads). */
  cpuMicros(): number;
  /** A monotonic wall clock. */
  wallMicros(): number;
}

/** This process's clocks: `process.cpuUsage()` and `process.hrtime`. */
export const processClock: ProcessClock = {
  cpuMicros: () => {
    const usage = process.cpuUsage();
    return usage.user + usage.system;
  },
  wallMicros: () => Number(process.hrtime.bigint() / 1000n),
};

/** Measures this process's CPU use between calls. */
export class ProcessSampler {
  private lastCpu: number;
  private lastWall: number;

  constructor(private readonly clock: ProcessClock = processClock) {
    this.lastCpu = clock.cpuMicros();
    this.lastWall = clock.wallMicros();
  }

  /** Figures for this process; cpuPercent covers the time since the previous call (or construction). */
  sample(): ProcessInfo {
    const wall = this.clock.wallMicros();
    const cpu = this.clock.cpuMicros();
    const wallMicros = wall - this.lastWall;
    const cpuMicros = cpu - this.lastCpu;
    this.lastCpu = cpu;
    this.lastWall = wall;
    const memory = process.memoryUsage();
    return {
      pid: process.pid,
      cpuPercent: wallMicros > 0 ? Math.max(0, (100 * cpuMicros) / wallMicros) : 0,
      residentBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
    };
  }
}
