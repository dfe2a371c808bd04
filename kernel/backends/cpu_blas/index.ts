/**
 * tsgpu's fast CPU path: the "cpu-blas" tfjs backend (see docs/fast-cpu.md).
 *
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * const { available, detail } = registerCpuBlasBackend();
 * if (available) await tf.setBackend("cpu-blas");
 * ```
 */
import { findBlasLibrary, loadBlas } from "./ffi/blas_library.js";
import { CPU_BLAS_BACKEND, registerCpuBlasWithTfjs } from "./backend_cpu_blas.js";
import { cpuThreadCount } from "./kernel_utils/parallel/thread_pool.js";
import { simdUnavailableReason } from "./kernel_utils/simd.js";

export { findBlasLibrary, BlasLoadError, type BlasLibrary, type BlasSearchResult } from "./ffi/blas_library.js";
export { CPU_BLAS_BACKEND, MathBackendCpuBlas } from "./backend_cpu_blas.js";
export { MatMulShapeError } from "./kernel_utils/batch_matmul.js";

/** Outcome of {@link registerCpuBlasBackend}. */
export interface CpuBlasRegistration {
  /** True when the backend is registered and can be selected with tf.setBackend("cpu-blas"). */
  available: boolean;
  /** What it uses (library, symbol, threads) or why it is unavailable (every path tried). */
  detail: string;
}

/**
 * Finds a BLAS library and, when one loads, registers the "cpu-blas" backend
 * with tfjs (idempotent). Never throws for a missing library: it answers why.
 * Env: TSGPU_BLAS (library path), TSGPU_BLAS_THREADS (default: all cores),
 * TSGPU_CPU_THREADS (threads of the backend's own loops, default: all cores),
 * TSGPU_CPU_SIMD=0 (no WebAssembly SIMD loops; see simd.ts),
 * TSGPU_BLAS_NO_PYTHON=1 (do not look into python3's site-packages).
 */
export function registerCpuBlasBackend(options: { priority?: number } = {}): CpuBlasRegistration {
  const { library, tried } = loadBlas();
  if (!library) {
    return { available: false, detail: `no BLAS library found; tried ${tried.join("; ")}` };
  }
  registerCpuBlasWithTfjs(options.priority ?? 0);
  const config = library.config ? `, ${library.config}` : "";
  const plural = (n: number) => `${n} thread${n === 1 ? "" : "s"}`;
  const simdOff = simdUnavailableReason();
  const simd = simdOff === undefined ? "WebAssembly SIMD for mid-sized tensors" : `no SIMD loops: ${simdOff}`;
  const loops = `; elementwise and pooling loops on ${plural(cpuThreadCount())}, ${simd}`;
  return { available: true, detail: `${CPU_BLAS_BACKEND}: ${library.symbol} from ${library.path} (${plural(library.threads)}${config})${loops}` };
}
