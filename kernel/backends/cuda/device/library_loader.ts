/**
 * Loads the CUDA libraries found by discovery, in order of preference,
 * recording for each candidate why it was skipped, so that a missing or
 * unusable library is reported with everything that was tried.
 */
import { CudaUnavailableError } from "../errors";
import { CublasApi } from "../ffi/cublas_api";
import type { CudaHandle } from "../ffi/driver_api";
import { DriverApi } from "../ffi/driver_api";
import { NvrtcApi } from "../ffi/nvrtc_api";
import { type CudaLibraryName, type DiscoveryEnvironment, findLibrary, type LibrarySearch, systemEnvironment } from "./library_discovery";

/** What happened to one library. */
export interface LibraryReport {
  library: CudaLibraryName;
  /** The file in use, when one loaded. */
  loaded?: string;
  version?: string;
  /** Why no candidate could be used. */
  error?: string;
  /** Candidates that failed to load, with the reason. */
  rejected: { path: string; reason: string }[];
  search: LibrarySearch;
}

function report(search: LibrarySearch): LibraryReport {
  return { library: search.library, rejected: [], search };
}

function notFound(name: string, search: LibrarySearch, hint: string): string {
  const tried = search.attempts.length;
  return `${name} not found (looked in ${tried} place${tried === 1 ? "" : "s"}; run \`tsgpu doctor\` to list them). ${hint}`;
}

/** Loads libcuda; the report says why not when it fails. */
export function loadDriver(environment: DiscoveryEnvironment = systemEnvironment()): { driver?: DriverApi; report: LibraryReport } {
  const search = findLibrary("cuda", environment);
  const result = report(search);
  // The bare soname last: the dynamic loader may know places discovery does not.
  for (const path of [...search.candidates, "libcuda.so.1"]) {
    try {
      const driver = DriverApi.load(path);
      result.loaded = path;
      return { driver, report: result };
    } catch (error) {
      result.rejected.push({ path, reason: (error as Error).message });
    }
  }
  result.error = notFound(
    "the NVIDIA driver library libcuda.so.1",
    search,
    "Install the NVIDIA driver (it provides libcuda.so.1), or set TSGPU_LIBCUDA_PATH to its path.",
  );
  return { report: result };
}

/**
 * Loads NVRTC, preferring a version whose CUDA major the driver supports
 * (`driverVersion` as from cuDriverGetVersion, 0 when unknown).
 */
export function loadNvrtc(driverVersion: number, environment: DiscoveryEnvironment = systemEnvironment()): { nvrtc?: NvrtcApi; report: LibraryReport } {
  const search = findLibrary("nvrtc", environment);
  const result = report(search);
  const driverMajor = Math.floor(driverVersion / 1000);
  for (const path of search.candidates) {
    try {
      const nvrtc = NvrtcApi.load(path);
      const { major, minor } = nvrtc.version();
      if (driverMajor > 0 && major > driverMajor) {
        result.rejected.push({ path, reason: `NVRTC ${major}.${minor} is newer than the driver's CUDA ${driverMajor}; its kernels would not load` });
        continue;
      }
      result.loaded = path;
      result.version = `${major}.${minor}`;
      return { nvrtc, report: result };
    } catch (error) {
      result.rejected.push({ path, reason: (error as Error).message });
    }
  }
  result.error =
    result.rejected.length > 0
      ? `no usable NVRTC: ${result.rejected.map((r) => `${r.path}: ${r.reason}`).join("; ")}. Install an NVRTC matching the driver's CUDA version (pip install nvidia-cuda-nvrtc-cu12 for a CUDA 12 driver).`
      : notFound(
          "NVRTC (libnvrtc.so.12 or .13)",
          search,
          "Install it with `pip install nvidia-cuda-nvrtc-cu12` (CUDA 12 drivers) or `pip install nvidia-cuda-nvrtc` (CUDA 13), or a CUDA toolkit, or set TSGPU_NVRTC_PATH.",
        );
  return { report: result };
}

/** Loads cuBLAS (with cuBLASLt beside it) and creates a handle bound to `stream`. */
export function loadCublas(stream: CudaHandle, driverVersion: number, environment: DiscoveryEnvironment = systemEnvironment()): { cublas?: CublasApi; report: LibraryReport } {
  const search = findLibrary("cublas", environment);
  const ltSearch = findLibrary("cublasLt", environment);
  const result = report(search);
  const driverMajor = Math.floor(driverVersion / 1000);
  for (const path of search.candidates) {
    const major = Number(/\.so\.(\d+)/.exec(path)?.[1] ?? 0);
    if (driverMajor > 0 && major > driverMajor) {
      result.rejected.push({ path, reason: `cuBLAS for CUDA ${major} needs a newer driver than this one (CUDA ${driverMajor})` });
      continue;
    }
    const suffix = /\.so(\.\d+)?$/.exec(path)?.[0] ?? ".so";
    const lt = ltSearch.candidates.find((p) => p.endsWith(`libcublasLt${suffix}`) && p.slice(0, p.lastIndexOf("/")) === path.slice(0, path.lastIndexOf("/")));
    try {
      const cublas = CublasApi.load(path, lt, stream);
      result.loaded = path;
      const v = cublas.version();
      result.version = `${Math.floor(v / 10000)}.${Math.floor((v % 10000) / 100)}.${v % 100}`;
      return { cublas, report: result };
    } catch (error) {
      result.rejected.push({ path, reason: (error as Error).message });
    }
  }
  result.error =
    result.rejected.length > 0
      ? `no usable cuBLAS: ${result.rejected.map((r) => `${r.path}: ${r.reason}`).join("; ")}`
      : notFound(
          "cuBLAS (libcublas.so.12 or .13)",
          search,
          "Install it with `pip install nvidia-cublas-cu12` (CUDA 12) or `pip install nvidia-cublas` (CUDA 13), or a CUDA toolkit, or set TSGPU_CUBLAS_PATH.",
        );
  return { report: result };
}

/** Throws the report's error as a {@link CudaUnavailableError}. */
export function unavailable(report: LibraryReport): never {
  throw new CudaUnavailableError(report.error ?? `${report.library} could not be loaded`);
}
