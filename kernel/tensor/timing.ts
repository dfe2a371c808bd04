/**
 * Timing that is right on asynchronous devices: the clock is read only after
 * the device has finished (outputs downloaded with `await data()` and the
 * backend synchronised), after warm-up runs, over several repeats; results
 * are the median and the spread (min, max).
 */
import { tfjs } from "./tfjs.js";

export interface TimingOptions {
  /** Runs before timing starts (compilation, caches, lazy moves). Default 1. */
  warmup?: number;
  /** Timed runs. Default 5. */
  repeats?: number;
}

export interface Timing {
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Every timed run in order, milliseconds. */
  samplesMs: number[];
  repeats: number;
}

/** Median of numbers (mean of the middle two for an even count). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Summarises run times. */
export function summarise(samplesMs: readonly number[]): Timing {
  return {
    medianMs: median(samplesMs),
    minMs: Math.min(...samplesMs),
    maxMs: Math.max(...samplesMs),
    samplesMs: [...samplesMs],
    repeats: samplesMs.length,
  };
}

interface TensorLike {
  data(): Promise<unknown>;
  dispose(): void;
  isDisposed?: boolean;
}

function isTensorLike(value: unknown): value is TensorLike {
  return typeof value === "object" && value !== null && typeof (value as TensorLike).data === "function" && typeof (value as TensorLike).dispose === "function";
}

/** Tensors in a value: a tensor, or arrays / plain objects of them (one level deep per container). */
export function tensorsIn(value: unknown, out: TensorLike[] = [], depth = 0): TensorLike[] {
  if (isTensorLike(value)) out.push(value);
  else if (depth < 3 && Array.isArray(value)) for (const v of value) tensorsIn(v, out, depth + 1);
  else if (depth < 3 && value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
    for (const v of Object.values(value)) tensorsIn(v, out, depth + 1);
  }
  return out;
}

/**
 * Waits until the active backend has finished the work behind `result`:
 * downloads every tensor in it, then asks the backend to synchronise when it
 * can (a backend method `synchronize()`: webgpu waits for
 * queue.onSubmittedWorkDone; the cuda backend synchronises its stream).
 */
export async function synchronize(result: unknown): Promise<void> {
  const tensors = tensorsIn(result).filter((t) => !t.isDisposed);
  await Promise.all(tensors.map((t) => t.data()));
  const backend = tfjs().backend() as { synchronize?: () => unknown };
  if (typeof backend.synchronize === "function") await backend.synchronize();
}

/**
 * Times `work` on the active backend: `warmup` untimed runs, then `repeats`
 * timed runs, each ending with {@link synchronize}. Tensors `work` returns are
 * disposed after each run.
 */
export async function time(work: () => unknown, options: TimingOptions = {}): Promise<Timing> {
  const warmup = options.warmup ?? 1;
  const repeats = options.repeats ?? 5;
  if (!Number.isInteger(warmup) || warmup < 0) throw new RangeError(`warmup must be a whole number >= 0, got ${warmup}`);
  if (!Number.isInteger(repeats) || repeats < 1) throw new RangeError(`repeats must be a whole number >= 1, got ${repeats}`);
  const samples: number[] = [];
  for (let i = 0; i < warmup + repeats; i++) {
    const start = performance.now();
    const result = await work();
    try {
      await synchronize(result);
      if (i >= warmup) samples.push(performance.now() - start);
    } finally {
      for (const t of tensorsIn(result)) t.dispose();
    }
  }
  return summarise(samples);
}
