/**
 * Errors of the `cuda` backend. Each names what failed and what to do, so a
 * notebook user can act on it; all extend {@link CudaError} so callers can
 * catch the backend's failures as a family and fall back to another backend.
 */

import { formatBytes } from "../../util/format";

/** Base class of every error the `cuda` backend throws. */
export class CudaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The backend cannot start: no driver, no GPU, a library missing or too old. */
export class CudaUnavailableError extends CudaError {}

/** A CUDA driver API call returned an error code. */
export class CudaDriverError extends CudaError {
  constructor(
    readonly call: string,
    readonly code: number,
    readonly codeName: string,
    description: string,
  ) {
    super(`${call} failed with ${codeName} (${code}): ${description}`);
  }
}

/** NVRTC could not compile a kernel (the message carries the compiler log). */
export class NvrtcError extends CudaError {
  constructor(
    readonly call: string,
    readonly code: number,
    description: string,
    readonly log = "",
  ) {
    super(`${call} failed (${code}): ${description}${log ? `\n${log}` : ""}`);
  }
}

/** A cuBLAS call returned a status other than CUBLAS_STATUS_SUCCESS. */
export class CublasError extends CudaError {
  constructor(
    readonly call: string,
    readonly status: number,
    description: string,
  ) {
    super(`${call} failed with status ${status}: ${description}`);
  }
}

/** Device memory ran out even after the caching allocator emptied its cache. */
export class CudaOutOfMemoryError extends CudaError {
  constructor(
    readonly requestedBytes: number,
    readonly freeBytes: number,
    readonly reservedBytes: number,
    readonly totalBytes: number,
  ) {
    super(
      `CUDA out of memory: tried to allocate ${formatBytes(requestedBytes)}; the GPU has ${formatBytes(freeBytes)} free ` +
        `of ${formatBytes(totalBytes)}, and this process holds ${formatBytes(reservedBytes)} reserved. ` +
        `Dispose tensors you no longer need (tf.dispose, tf.tidy), use a smaller batch, or stop other processes using the GPU.`,
    );
  }
}

/** A kernel launch failed or a kernel faulted while running. */
export class CudaLaunchError extends CudaError {}

/** A tensor operation the backend cannot run with these inputs (dtype, rank, attributes). */
export class CudaUnsupportedError extends CudaError {}

/** A tfjs kernel the cuda backend does not implement (yet); tsgpu's cpu-blas backend runs it. */
export class CudaKernelNotImplementedError extends CudaUnsupportedError {
  constructor(readonly kernelName: string) {
    super(
      `the cuda backend has no ${kernelName} kernel yet: run this computation on tsgpu's CPU backend with ` +
        `\`await use("cpu-blas")\` (or \`await tf.setBackend("cpu")\`), or open an issue naming ${kernelName}.`,
    );
  }
}
