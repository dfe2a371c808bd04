/**
 * The `cuda` tfjs backend: TypeScript driving an NVIDIA GPU over FFI (koffi)
 * to the CUDA driver API, NVRTC and cuBLAS, found at run time where users
 * have them. Nothing is compiled at install; kernels are compiled by NVRTC
 * for the GPU's own architecture on first use and cached on disk.
 *
 * - {@link registerCudaBackend} registers the backend named "cuda" when a GPU
 *   and the libraries are usable, and otherwise says why (tfjs's other
 *   backends are untouched either way).
 * - {@link cudaDiagnostics} reports what was found, and for each library
 *   every place tried, for `tsgpu doctor` and `devices()`.
 */
import { registerBackend } from "@tensorflow/tfjs-core";
import { CudaBackend } from "./backend_cuda";
import { CudaDevice, type DeviceInfo } from "./device/cuda_device";
import { CudaError } from "./errors";
import { type LibraryReport, loadCublas, loadDriver, loadNvrtc } from "./device/library_loader";
import { type CudaLibraryName, type DiscoveryEnvironment, findLibrary } from "./device/library_discovery";
import { registerAllKernels } from "./register_all_kernels";

export { CudaBackend } from "./backend_cuda";
export * from "./errors";

/** The tfjs backend name. */
export const CUDA_BACKEND_NAME = "cuda";

/** What {@link registerCudaBackend} reports. */
export interface CudaAvailability {
  available: boolean;
  /** Why not, when unavailable; the GPU and library versions when available. */
  detail: string;
}

/** Everything known about CUDA on this machine. */
export interface CudaDiagnostics extends CudaAvailability {
  /** Driver's CUDA version, e.g. "12.8". */
  driverCudaVersion?: string;
  device?: DeviceInfo;
  /** One entry per library: what loaded, or why not, and every place tried. */
  libraries: LibraryReport[];
}

interface Probe {
  diagnostics: CudaDiagnostics;
  backend?: CudaBackend;
}

let probed: Probe | undefined;

function cudaVersion(version: number): string {
  return `${Math.floor(version / 1000)}.${Math.floor((version % 1000) / 10)}`;
}

/** A report for a library that was searched for but not loaded (its prerequisites are missing). */
function searchOnly(library: CudaLibraryName, environment?: DiscoveryEnvironment): LibraryReport {
  const search = findLibrary(library, environment);
  return { library, rejected: [], search, error: search.candidates.length ? undefined : `${library} not found` };
}

/** Finds and opens everything the backend needs; never throws. */
function probe(environment?: DiscoveryEnvironment): Probe {
  const libraries: LibraryReport[] = [];
  const fail = (detail: string): Probe => ({ diagnostics: { available: false, detail, libraries } });
  const driverResult = loadDriver(environment);
  libraries.push(driverResult.report);
  const driver = driverResult.driver;
  if (!driver) {
    // Still look for the other libraries, so diagnostics show the whole picture.
    libraries.push(loadNvrtc(0, environment).report, searchOnly("cublas", environment));
    return fail(`no NVIDIA driver: ${driverResult.report.error}`);
  }
  let driverVersion = 0;
  try {
    driverVersion = driver.driverVersion();
  } catch (error) {
    return fail(`the NVIDIA driver library loaded but does not answer: ${(error as Error).message}`);
  }
  const nvrtcResult = loadNvrtc(driverVersion, environment);
  libraries.push(nvrtcResult.report);
  let device: CudaDevice;
  try {
    if (!nvrtcResult.nvrtc) return fail(`cannot compile GPU kernels: ${nvrtcResult.report.error}`);
    device = new CudaDevice(driver, nvrtcResult.nvrtc);
  } catch (error) {
    return fail((error as Error).message);
  }
  const cublasResult = loadCublas(device.stream, driverVersion, environment);
  libraries.push(cublasResult.report);
  if (!cublasResult.cublas) return fail(`cannot run matrix multiplies: ${cublasResult.report.error}`);
  device.cublas = cublasResult.cublas;
  if (process.env.TSGPU_CUDA_TF32 === "1") device.cublas.setTf32(true);
  const info = device.info;
  const detail =
    `${info.name} (sm_${info.arch}, ${info.target}), driver CUDA ${cudaVersion(driverVersion)}, ` +
    `NVRTC ${nvrtcResult.report.version}, cuBLAS ${cublasResult.report.version}`;
  return {
    diagnostics: { available: true, detail, driverCudaVersion: cudaVersion(driverVersion), device: info, libraries },
    backend: new CudaBackend(device),
  };
}

/**
 * Registers the "cuda" tfjs backend when this machine can run it. Returns
 * whether it is available and, when it is not, the reason (no driver, no
 * GPU, NVRTC or cuBLAS missing, an architecture NVRTC cannot target). Safe to
 * call more than once; tfjs's other backends keep working whatever happens.
 */
export function registerCudaBackend(): CudaAvailability {
  try {
    if (!probed) {
      probed = probe();
      const backend = probed.backend;
      if (backend) {
        registerAllKernels();
        registerBackend(CUDA_BACKEND_NAME, () => backend, 3);
      }
    }
  } catch (error) {
    probed = { diagnostics: { available: false, detail: `the cuda backend failed to start: ${(error as Error).message}`, libraries: [] } };
    if (!(error instanceof CudaError) && !(error instanceof Error)) throw error;
  }
  return { available: probed.diagnostics.available, detail: probed.diagnostics.detail };
}

/** What was found, and every place each library was looked for (for `tsgpu doctor` and `devices()`). */
export function cudaDiagnostics(environment?: DiscoveryEnvironment): CudaDiagnostics {
  if (environment) return probe(environment).diagnostics;
  if (!probed) registerCudaBackend();
  return probed!.diagnostics;
}

/** The registered backend object, when the GPU is usable (memory(), emptyCache(), setTf32()). */
export function cudaBackend(): CudaBackend | undefined {
  return probed?.backend;
}

/** {@link cudaDiagnostics} as text lines for `tsgpu doctor`: the verdict, the device, then each library with what was tried. */
export function describeCudaDiagnostics(diagnostics: CudaDiagnostics = cudaDiagnostics()): string[] {
  const lines = [`cuda: ${diagnostics.available ? "available" : "unavailable"} - ${diagnostics.detail}`];
  if (diagnostics.device) {
    const d = diagnostics.device;
    lines.push(`  GPU ${d.ordinal}: ${d.name}, sm_${d.arch}, ${d.multiprocessors} SMs, ${(d.totalMemoryBytes / 2 ** 30).toFixed(1)} GiB, kernels as ${d.target}`);
  }
  for (const library of diagnostics.libraries) {
    const status = library.loaded ? `loaded ${library.loaded}${library.version ? ` (${library.version})` : ""}` : `not loaded${library.error ? `: ${library.error}` : ""}`;
    lines.push(`  ${library.library}: ${status}`);
    for (const rejected of library.rejected) lines.push(`    rejected ${rejected.path}: ${rejected.reason}`);
    if (!library.loaded) for (const attempt of library.search.attempts) lines.push(`    ${attempt.found ? "found  " : "missing"} ${attempt.path} (${attempt.source})`);
  }
  return lines;
}
