/**
 * Which OpenBLAS kernel family to ask for on this CPU.
 *
 * OpenBLAS built with DYNAMIC_ARCH (Debian's, Ubuntu's, numpy's) picks its
 * kernels from the CPU's family and model numbers when it is loaded. A release
 * older than the CPU does not know the model and falls back to its oldest
 * x86-64 kernels, "Prescott" (SSE3). Debian 12's OpenBLAS 0.3.21 does that on
 * Intel Sapphire Rapids, a common cloud CPU: there one MNIST CNN epoch on
 * `cpu-blas` took 183 s against PyTorch's 40 s (see docs/fast-cpu.md).
 *
 * OpenBLAS reads `OPENBLAS_CORETYPE` when it is loaded. When the user has not
 * set it, tsgpu names the newest family the CPU's features (as the Linux
 * kernel enabled them, /proc/cpuinfo) can run: for single-precision GEMM the
 * newer Intel families (Cooperlake, Sapphire Rapids) use the SkylakeX kernels,
 * and AMD's Zen families the Haswell ones, so asking for these never gives
 * slower GEMMs than a correct detection would.
 */
import { readFileSync } from "node:fs";

/** AVX-512 subsets OpenBLAS's SkylakeX kernels need. */
const SKYLAKEX_FLAGS = ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"];
/** What its Haswell kernels need. */
const HASWELL_FLAGS = ["avx2", "fma"];

/** The OpenBLAS core type for a CPU with these feature flags, or undefined to leave OpenBLAS's own choice. */
export function openBlasCoreFor(flags: ReadonlySet<string>): string | undefined {
  if (SKYLAKEX_FLAGS.every((flag) => flags.has(flag))) return "SkylakeX";
  if (HASWELL_FLAGS.every((flag) => flags.has(flag))) return "Haswell";
  return undefined;
}

/** The feature flags of the first CPU in /proc/cpuinfo (empty where there is none). */
export function cpuFlags(cpuinfo = "/proc/cpuinfo"): Set<string> {
  try {
    const line = readFileSync(cpuinfo, "utf8").split("\n").find((l) => l.startsWith("flags"));
    return new Set(line?.slice(line.indexOf(":") + 1).trim().split(/\s+/) ?? []);
  } catch {
    return new Set();
  }
}

/**
 * Sets `OPENBLAS_CORETYPE` for OpenBLAS to read when it is loaded, unless the
 * user set it; only on x86-64 Linux.
 */
export function preferMatchingOpenBlasCore(): void {
  if (process.env.OPENBLAS_CORETYPE || process.platform !== "linux" || process.arch !== "x64") return;
  const core = openBlasCoreFor(cpuFlags());
  if (core) process.env.OPENBLAS_CORETYPE = core;
}
