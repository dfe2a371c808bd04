/**
 * Runs the cpu-blas backend's big memory-bound loops (elementwise ops, the
 * fused kernels) on every core. tfjs's kernels are synchronous, so the main
 * thread posts each worker a slice of the index range, runs its own slice,
 * and blocks on an Atomics flag until the workers are done. Jobs are numbered
 * and a worker reports the number it finished, so a job abandoned half-way
 * (a cell interrupted while it waited) is never taken for the next one.
 *
 * - A loop is a {@link RangeLoop} `(arrays, scalars, start, end)` defined in a
 *   module that imports no tfjs (`defineRangeLoops`); a worker requires that
 *   module by path, so main thread and workers run the same code.
 * - Workers read and write the tensors' memory in place: it only works for
 *   arrays on a SharedArrayBuffer, which the buffer pool hands out for large
 *   outputs (see buffer_pool.ts). Anything else, small work, a failed worker,
 *   or a build where the module is bundled (no file to require) runs the loop
 *   on the main thread: the same code over the whole range.
 * - Threads: `TSGPU_CPU_THREADS` (1 turns this off), else every logical core.
 */
import { availableParallelism } from "node:os";
import { basename } from "node:path";
import { Worker } from "node:worker_threads";

/** A loop over [start, end) of its units (elements or rows). */
export type RangeLoop = (arrays: Float32Array[], scalars: number[], start: number, end: number) => void;

/** A loop and where a worker finds it. */
export interface RangeLoopRef {
  module: string;
  name: string;
  loop: RangeLoop;
}

/** Loops by `module#name`, filled as modules that define loops are loaded (in each thread). */
export const rangeLoopRegistry = new Map<string, RangeLoop>();

/** Registers a module's loops; `module` is that module's `__filename`. */
export function defineRangeLoops<K extends string>(module: string, loops: Record<K, RangeLoop>): Record<K, RangeLoopRef> {
  const refs = {} as Record<K, RangeLoopRef>;
  for (const name of Object.keys(loops) as K[]) {
    rangeLoopRegistry.set(`${module}#${name}`, loops[name]);
    refs[name] = { module, name, loop: loops[name] };
  }
  return refs;
}

/** Below this many elements of work a loop stays on the main thread (a hand-off costs tens of microseconds). */
export const PARALLEL_MIN_ELEMENTS = 1 << 18;

const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { rangeLoopRegistry } = require(workerData.poolModule);
// [0]: number of the last job finished, [1]: 1 when it failed.
const signal = new Int32Array(workerData.signal);
parentPort.on("message", (job) => {
  let failed = 0;
  try {
    const key = job.module + "#" + job.name;
    if (!rangeLoopRegistry.has(key)) require(job.module);
    rangeLoopRegistry.get(key)(job.arrays, job.scalars, job.start, job.end);
  } catch (error) {
    failed = 1;
    parentPort.postMessage(String(error && error.stack || error));
  }
  Atomics.store(signal, 1, failed);
  Atomics.store(signal, 0, job.id);
  Atomics.notify(signal, 0);
});
`;

interface PoolWorker {
  worker: Worker;
  signal: Int32Array;
}

let workers: PoolWorker[] | undefined;
/** Number of the last job posted (1, 2, ...; a worker's signal starts at 0). */
let jobId = 0;
let disabledReason: string | undefined;

/** Threads the loops use (main thread included). */
export function cpuThreadCount(): number {
  const fromEnv = Number(process.env.TSGPU_CPU_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

function startWorkers(): PoolWorker[] {
  if (workers) return workers;
  workers = [];
  // In a bundle this file is not thread_pool.js and there is nothing a worker could require.
  if (basename(__filename) !== "thread_pool.js") {
    disabledReason = "bundled build";
    return workers;
  }
  try {
    for (let i = 1; i < cpuThreadCount(); i++) {
      const signal = new Int32Array(new SharedArrayBuffer(8));
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { poolModule: __filename, signal: signal.buffer } });
      worker.on("message", (message: string) => {
        disabledReason = `a worker failed: ${message}`;
      });
      worker.on("error", (error) => {
        disabledReason = `a worker stopped: ${error.message}`;
      });
      // After the listeners (adding one refs the worker again): idle workers never keep the process alive.
      worker.unref();
      workers.push({ worker, signal });
    }
  } catch (error) {
    disabledReason = `cannot start worker threads: ${(error as Error).message}`;
    for (const { worker } of workers) void worker.terminate();
    workers = [];
  }
  return workers;
}

function isShared(array: Float32Array): boolean {
  return array.buffer instanceof SharedArrayBuffer;
}

/** Inputs at most this long are copied to shared memory for the workers (a bias, a scale). */
const COPIED_INPUT_MAX_LENGTH = 1 << 12;

/**
 * The arrays as workers can see them: shared ones as they are, short unshared
 * ones copied (a bias, or a sum's small output, copied back by runRange), or
 * undefined when a long one is not shared.
 */
function shareable(arrays: Float32Array[]): Float32Array[] | undefined {
  const result: Float32Array[] = [];
  for (const array of arrays) {
    if (isShared(array)) result.push(array);
    else if (array.length <= COPIED_INPUT_MAX_LENGTH) {
      const copy = new Float32Array(new SharedArrayBuffer(array.length * 4));
      copy.set(array);
      result.push(copy);
    } else return undefined;
  }
  return result;
}

/** Why loops run on one thread, or undefined when they can use workers. */
export function parallelUnavailableReason(): string | undefined {
  if (cpuThreadCount() < 2) return "one thread (TSGPU_CPU_THREADS or a single core)";
  startWorkers();
  return disabledReason;
}

/**
 * Runs `ref` over [0, units), split across threads when the work is large and
 * every array is shared; `elementsPerUnit` sizes the work (row loops) and
 * split points are multiples of `align` units.
 */
export function runRange(ref: RangeLoopRef, original: Float32Array[], scalars: number[], units: number, elementsPerUnit = 1, align = 1): void {
  const arrays = units * elementsPerUnit < PARALLEL_MIN_ELEMENTS ? undefined : shareable(original);
  if (!arrays || parallelUnavailableReason() !== undefined) {
    ref.loop(original, scalars, 0, units);
    return;
  }
  const pool = workers!;
  const parts = pool.length + 1;
  const step = Math.ceil(units / parts / align) * align;
  const posted: PoolWorker[] = [];
  jobId = (jobId % 0x7ffffffe) + 1;
  for (let p = 1; p < parts; p++) {
    const start = Math.min(units, p * step);
    const end = Math.min(units, start + step);
    if (start >= end) break;
    const target = pool[p - 1]!;
    target.worker.postMessage({ id: jobId, module: ref.module, name: ref.name, arrays, scalars, start, end });
    posted.push(target);
  }
  ref.loop(arrays, scalars, 0, Math.min(units, step));
  // A worker that died (its error event cannot arrive while this thread blocks)
  // never answers: give up after a generous deadline and do the work here.
  const deadline = performance.now() + Math.max(10_000, units * elementsPerUnit * 1e-4);
  let failed = false;
  for (const { signal } of posted) {
    let finished: number;
    while ((finished = Atomics.load(signal, 0)) !== jobId && performance.now() < deadline) Atomics.wait(signal, 0, finished, 100);
    if (Atomics.load(signal, 0) !== jobId) disabledReason ??= "a worker thread stopped answering";
    if (Atomics.load(signal, 0) !== jobId || Atomics.load(signal, 1) !== 0) failed = true;
  }
  if (failed) {
    // The worker's error arrives as a message later; redo the whole range here, where errors surface.
    disabledReason ??= "a worker failed";
    ref.loop(original, scalars, 0, units);
    return;
  }
  // Short arrays were copied; one of them may be an output (a sum's result).
  arrays.forEach((array, i) => {
    if (array !== original[i]) original[i]!.set(array);
  });
}
