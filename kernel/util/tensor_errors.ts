/**
 * The error types the tensor runtime and the backends share (a leaf module,
 * so backends need not import the runtime). `kernel/tensor/errors.ts`
 * re-exports them: that is the public path.
 */
import { formatBytes } from "./format.js";

/** Base class of tsgpu tensor-runtime errors. */
export class TensorRuntimeError extends Error {
  override name = "TensorRuntimeError";
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
