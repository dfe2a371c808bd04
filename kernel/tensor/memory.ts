/**
 * Tensor memory: `memory()` for users, and turning allocation failures into
 * {@link OutOfMemoryError}s that say what was asked and what is free.
 *
 * What each backend can say (see docs/tensor-runtime.md):
 * - cpu / cpu-blas: V8 throws `RangeError: Array buffer allocation failed`
 *   (or "Invalid typed array length") without the size; tsgpu reports free
 *   system memory and the bytes tensors hold.
 * - webgpu: sizes above the device's largest buffer are refused up front with
 *   the size; device out-of-memory arrives asynchronously and is thrown at
 *   the next `data()`.
 * - cuda: the backend throws OutOfMemoryError itself with cudaMalloc's size
 *   and cudaMemGetInfo's free bytes.
 */
import * as os from "node:os";
import { JUPYTER_DISPLAY, type MimeBundle } from "../runtime/display.js";
import { formatBytes, OutOfMemoryError } from "./errors.js";
import { loadedTfjsCore, tfjs } from "./tfjs.js";

export interface TensorMemory {
  backend: string;
  /** Live tensors (all backends). */
  numTensors: number;
  /** Bytes held by live tensors (all backends). */
  numBytes: number;
  /** Distinct data buffers (tensors can share one). */
  numDataBuffers: number;
  /** Device bytes the backend has allocated, including its caches, when it says. */
  reservedBytes?: number;
  /** True when tfjs says the numbers are incomplete (e.g. string tensors). */
  unreliable: boolean;
}

/** Current tensor memory, as tf.memory() reports it, with a display form. */
export function memory(): TensorMemory & { [JUPYTER_DISPLAY](): MimeBundle } {
  const tf = tfjs();
  const raw = tf.memory() as { numTensors: number; numBytes: number; numDataBuffers: number; unreliable?: boolean; numBytesAllocatedInGPU?: number; numBytesInGPUAllocated?: number };
  const result: TensorMemory = {
    backend: tf.getBackend(),
    numTensors: raw.numTensors,
    numBytes: raw.numBytes,
    numDataBuffers: raw.numDataBuffers,
    unreliable: Boolean(raw.unreliable),
  };
  const reserved = raw.numBytesAllocatedInGPU ?? raw.numBytesInGPUAllocated;
  if (typeof reserved === "number") result.reservedBytes = reserved;
  const text = `${result.numTensors} tensors, ${formatBytes(result.numBytes)} on ${result.backend}` + (result.reservedBytes === undefined ? "" : ` (${formatBytes(result.reservedBytes)} reserved on the device)`);
  return Object.defineProperty(result, JUPYTER_DISPLAY, { value: () => ({ "text/plain": text }), enumerable: false }) as TensorMemory & { [JUPYTER_DISPLAY](): MimeBundle };
}

const ALLOCATION_FAILURE = /Array buffer allocation failed|Invalid typed array length|Invalid array length|allocation failed|out of memory/i;

/**
 * When `error` is an allocation failure, the {@link OutOfMemoryError} that
 * explains it (backend, size asked if known, what is free), or the backend's
 * own out-of-memory error when it has one; else undefined.
 * The kernel calls this on a cell's error so the message is useful.
 */
export function describeOutOfMemory(error: unknown): Error | undefined {
  if (error instanceof OutOfMemoryError) return error;
  // A backend's own out-of-memory error (cuda's names the size asked, free, total and reserved) already says it all.
  if (error instanceof Error && error.name !== "Error" && /OutOfMemory/.test(error.name)) return error;
  if (!(error instanceof Error) || !ALLOCATION_FAILURE.test(error.message)) return undefined;
  const core = loadedTfjsCore();
  let backend = "cpu";
  let held = "";
  try {
    const engine = core?.engine() as { backendName?: string | null } | undefined;
    backend = engine?.backendName ?? "cpu";
    if (core) held = `; tensors hold ${formatBytes(core.memory().numBytes)}`;
  } catch {
    // tfjs state unreadable: report without it
  }
  // V8 names the element count for typed arrays ("Invalid typed array length: 4294967296"), not bytes.
  const elements = /length:? (\d+)/i.exec(error.message)?.[1];
  const asked = elements === undefined ? "" : `an array of ${Number(elements).toLocaleString("en-US")} elements was asked for (${formatBytes(Number(elements) * 4)} as float32); `;
  return new OutOfMemoryError(
    backend,
    undefined,
    os.freemem(),
    `${asked}${error.message}${held}; this process has ${formatBytes(process.memoryUsage().rss)} resident`,
  );
}

/** Runs `work`, rethrowing allocation failures as {@link OutOfMemoryError}. */
export async function withOutOfMemoryReport<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw describeOutOfMemory(error) ?? error;
  }
}
