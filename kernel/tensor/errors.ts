/** Errors the tensor runtime throws; every message says what to do next. */

/** Base class of tsgpu tensor-runtime errors. */
export class TensorRuntimeError extends Error {
  override name = "TensorRuntimeError";
}

/** A backend was asked for that does not exist here or cannot run. */
export class BackendUnavailableError extends TensorRuntimeError {
  override name = "BackendUnavailableError";
  constructor(
    readonly backend: string,
    readonly reason: string,
    readonly available: readonly string[],
  ) {
    super(
      `backend "${backend}" cannot be used: ${reason}. Available here: ${available.length ? available.join(", ") : "none"}` +
        ` (see await devices() for the reasons).`,
    );
  }
}

/**
 * A backend could not allocate memory. Names the size asked for and what was
 * free (when the backend can tell); see docs/tensor-runtime.md for what each
 * backend can report.
 */
export class OutOfMemoryError extends TensorRuntimeError {
  override name = "OutOfMemoryError";
  constructor(
    readonly backend: string,
    /** Bytes the failed allocation asked for, when known. */
    readonly requestedBytes: number | undefined,
    /** Bytes free on the device (system memory for CPU backends), when known. */
    readonly freeBytes: number | undefined,
    detail: string,
  ) {
    super(
      `out of memory on backend "${backend}": ${detail}` +
        `${requestedBytes === undefined ? "" : `; asked for ${formatBytes(requestedBytes)}`}` +
        `${freeBytes === undefined ? "" : `; ${formatBytes(freeBytes)} free`}` +
        `. Use smaller batches or tensors, dispose tensors you no longer need (tf.tidy, tensor.dispose()), or check memory().`,
    );
  }
}

/** 1536 -> "1.5 KiB"; binary units as memory is counted. */
export function formatBytes(bytes: number): string {
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(value >= 100 ? 0 : 1)} ${units[unit]}`;
}
