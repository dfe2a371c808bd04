/**
 * usage_request (control): resource use of the kernel, as ipykernel answers it,
 * so jupyter-resource-usage's kernel panel works. The request is not in the
 * messaging spec; the fields follow ipykernel's reply. Process numbers cover
 * the kernel process and its execution child, read from /proc on Linux.
 */
import { readFileSync } from "node:fs";
import os from "node:os";

interface CpuSample {
  time: number;
  ticks: number;
}

const CLOCK_TICKS = 100;
const PAGE_SIZE = 4096;
let previousHost: { idle: number; total: number } | undefined;
const previousProcess = new Map<number, CpuSample>();

function processTicks(pid: number): { ticks: number; rss: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    // Fields after the command: state(0) ... utime(11) stime(12) ... rss(21), see proc(5).
    return { ticks: Number(fields[11]) + Number(fields[12]), rss: Number(fields[21]) * PAGE_SIZE };
  } catch {
    return undefined;
  }
}

/** CPU percent of one core used by `pid` since the last call for it. */
function processCpuPercent(pid: number, ticks: number): number {
  const now = Date.now();
  const previous = previousProcess.get(pid);
  previousProcess.set(pid, { time: now, ticks });
  if (!previous || now === previous.time) return 0;
  return (((ticks - previous.ticks) / CLOCK_TICKS) * 1000 * 100) / (now - previous.time);
}

function hostCpuPercent(): number {
  let idle = 0;
  let total = 0;
  for (const cpu of os.cpus()) {
    const t = cpu.times;
    idle += t.idle;
    total += t.user + t.nice + t.sys + t.idle + t.irq;
  }
  const previous = previousHost;
  previousHost = { idle, total };
  if (!previous || total === previous.total) return 0;
  return 100 * (1 - (idle - previous.idle) / (total - previous.total));
}

/** The usage_reply content for the kernel process and its execution child. */
export function usageReply(childPid: number | undefined): Record<string, unknown> {
  const pids = [process.pid, ...(childPid ? [childPid] : [])];
  let cpu = 0;
  let memory = 0;
  for (const pid of pids) {
    const sample = processTicks(pid);
    if (!sample) continue;
    cpu += processCpuPercent(pid, sample.ticks);
    memory += sample.rss;
  }
  if (memory === 0) memory = process.memoryUsage().rss;
  const total = os.totalmem();
  const free = os.freemem();
  return {
    hostname: os.hostname(),
    pid: process.pid,
    kernel_cpu: Math.round(cpu * 10) / 10,
    kernel_memory: memory,
    cpu_count: os.cpus().length,
    host_cpu_percent: Math.round(hostCpuPercent() * 10) / 10,
    host_virtual_memory: { total, available: free, percent: Math.round((1000 * (total - free)) / total) / 10, used: total - free, free },
  };
}
