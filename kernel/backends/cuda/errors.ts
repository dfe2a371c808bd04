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
        `Dispose tensors you no longer need (tf.dispose, tf.tidy), use a smaller batch, stop other processes using the GPU, ` +
        `or run on the CPU with use("cpu-blas").`,
    );
  }
}

/** A kernel launch failed or a kernel faulted while running. */
export class CudaLaunchError extends CudaError {}

/**
 * CUresult codes after which the CUDA context is unusable for the rest of the process
 * ("sticky" errors, CUDA driver API docs, CUresult): every later call fails the same way.
 */
const STICKY_ERRORS = new Set([700, 702, 714, 715, 716, 717, 718, 719]); // ILLEGAL_ADDRESS, LAUNCH_TIMEOUT, HARDWARE_STACK_ERROR ... LAUNCH_FAILED

export function isContextLost(code: number): boolean {
  return STICKY_ERRORS.has(code);
}

/** The GPU context is lost (a kernel faulted): nothing on this device can be used again in this process. */
export class CudaDeviceLostError extends CudaLaunchError {
  constructor(
    readonly call: string,
    readonly code: number,
    readonly codeName: string,
  ) {
    super(
      `the GPU context is lost: ${call} failed with ${codeName} (${code}), and CUDA fails every later call in this process. ` +
        `Tensors on the cuda backend are gone. Restart the kernel to use the GPU again, or switch to the CPU with ` +
        `use("cpu-blas") and create the tensors again. Run with TSGPU_CUDA_SYNC=1 to find the kernel that faulted.`,
    );
  }
}

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
