/**
 * `resultsTable()` and `machineName()`: the table every bundled notebook ends
 * with, in the shape "task | CPU | GPU | speed-up", measured on the machine
 * the notebook ran on and naming that machine. A row that could not run says
 * why instead of a number. It displays as text/plain and text/html only
 * (no tsgpu MIME type), so a saved notebook shows it anywhere.
 */
import * as os from "node:os";
import { NvidiaGpuReader } from "../device/nvidia_gpus.js";
import { JUPYTER_DISPLAY, type MimeBundle, tableBundle } from "../runtime/display.js";
import { registryState } from "./state.js";

/** One side of a result: a time measured (or estimated from a measured step) on a backend, or why there is none. */
export type ResultCell =
  | {
      /** Seconds the task took (or would take, when `estimated`). */
      seconds: number;
      /** Backend that ran it, e.g. "cpu-blas" or "cuda". */
      backend: string;
      /** True when the time is extrapolated from measured steps (e.g. a whole epoch from one step). */
      estimated?: boolean;
    }
  | {
      /** Why this side could not run here, e.g. "no GPU on this machine". */
      notRun: string;
    };

export interface ResultRow {
  /** What was timed, e.g. "MNIST MLP, 1 epoch". */
  task: string;
  cpu: ResultCell;
  gpu: ResultCell;
  /** Anything a reader needs beside the numbers: reference figures, batch size, caveats. */
  note?: string;
}

export interface ResultsTableOptions {
  title?: string;
  /** The machine's name; default {@link machineName}(). */
  machine?: string;
}

/** "0.41 s", "57.6 s", "12 min", "3.1 h", "2.4 days". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "-";
  if (seconds < 1) return `${(seconds * 1000).toPrecision(3)} ms`;
  if (seconds < 120) return `${seconds.toPrecision(3)} s`;
  if (seconds < 2 * 3600) return `${(seconds / 60).toPrecision(3)} min`;
  if (seconds < 2 * 86400) return `${(seconds / 3600).toPrecision(3)} h`;
  return `${(seconds / 86400).toPrecision(3)} days`;
}

function cellText(cell: ResultCell): string {
  if ("notRun" in cell) return `not run: ${cell.notRun}`;
  return `${cell.estimated ? "~" : ""}${formatDuration(cell.seconds)} (${cell.backend}${cell.estimated ? ", estimated" : ""})`;
}

/** CPU time / GPU time, when both sides ran. */
export function resultSpeedup(row: ResultRow): number | undefined {
  if ("notRun" in row.cpu || "notRun" in row.gpu) return undefined;
  if (!(row.cpu.seconds > 0) || !(row.gpu.seconds > 0)) return undefined;
  return row.cpu.seconds / row.gpu.seconds;
}

/** The results of a notebook, with the machine they were measured on; displays as a table. */
export class ResultsTable {
  constructor(
    readonly title: string,
    readonly machine: string,
    readonly rows: readonly ResultRow[],
  ) {}

  /** The rows as strings: task, CPU, GPU, speed-up (and note when any row has one). */
  table(): Record<string, string>[] {
    const withNotes = this.rows.some((row) => row.note);
    return this.rows.map((row) => {
      const ratio = resultSpeedup(row);
      const cells: Record<string, string> = {
        task: row.task,
        CPU: cellText(row.cpu),
        GPU: cellText(row.gpu),
        "speed-up": ratio === undefined ? "-" : `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}x`,
      };
      if (withNotes) cells.note = row.note ?? "";
      return cells;
    });
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    const table = tableBundle(this.table());
    const heading = `${this.title}, measured on ${this.machine}`;
    return {
      "text/plain": `${heading} (speed-up = CPU time / GPU time; ~ = estimated from measured steps)\n${table["text/plain"] as string}`,
      "text/html":
        `<div><p><b>${escape(this.title)}</b>, measured on ${escape(this.machine)}</p>${table["text/html"] as string}` +
        `<p>speed-up = CPU time / GPU time; ~ = estimated from measured steps</p></div>`,
    };
  }
}

/**
 * The results table of a notebook: "task | CPU | GPU | speed-up" (plus notes),
 * headed by the machine it was measured on.
 */
export async function resultsTable(rows: readonly ResultRow[], options: ResultsTableOptions = {}): Promise<ResultsTable> {
  if (!Array.isArray(rows)) throw new TypeError(`resultsTable() needs an array of rows, got ${typeof rows}`);
  for (const row of rows) {
    if (typeof row?.task !== "string" || !row.cpu || !row.gpu) {
      throw new TypeError(`resultsTable(): each row needs task, cpu and gpu (a { seconds, backend } or { notRun } each), got ${JSON.stringify(row)}`);
    }
  }
  return new ResultsTable(options.title ?? "Results", options.machine ?? (await machineName()), rows);
}

/**
 * This machine in a few words: CPU model and logical cores (from `os.cpus()`)
 * and its GPUs, e.g. "AMD EPYC 7B13, 2 cores; no GPU on this machine" or
 * "Intel Xeon Platinum 8480+, 16 cores; NVIDIA H100 80GB HBM3". A software
 * WebGPU adapter (llvmpipe) is not a GPU and is named as such.
 */
export async function machineName(): Promise<string> {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  const cpu = `${model}, ${cpus.length} core${cpus.length === 1 ? "" : "s"}`;
  let gpus: string[] = [];
  try {
    gpus = (await new NvidiaGpuReader().read()).gpus.map((gpu) => gpu.name);
  } catch {
    gpus = [];
  }
  // Without a reading from the NVIDIA driver tools, the devices the GPU backends probed (cuda first).
  const cuda = registryState().results.get("cuda");
  if (gpus.length === 0 && cuda?.available && cuda.device && !cuda.software) gpus.push(cuda.device);
  const webgpu = registryState().webgpu;
  if (gpus.length === 0 && webgpu && !webgpu.software) gpus.push(webgpu.description);
  const counted = [...new Set(gpus)].map((name) => {
    const count = gpus.filter((other) => other === name).length;
    return count > 1 ? `${count} x ${name}` : name;
  });
  return `${cpu}; ${counted.length > 0 ? counted.join(", ") : "no GPU on this machine"}`;
}

const escape = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
