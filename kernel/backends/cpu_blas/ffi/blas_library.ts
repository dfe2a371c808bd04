/**
 * Finding and binding a CBLAS library at run time (no compiler, no install
 * step): `koffi` loads the shared library and binds `cblas_sgemm` plus the
 * thread-count setter. Searched, in order:
 *
 * 1. `TSGPU_BLAS` (a path or a library name the dynamic loader knows);
 * 2. system libraries: OpenBLAS (`libopenblas.so.0`, `libopenblas64_.so.0`),
 *    Intel MKL (`libmkl_rt`), BLIS, Apple Accelerate;
 * 3. the OpenBLAS that numpy / scipy bundle in the site-packages of the
 *    `python3` on PATH (`numpy.libs/libscipy_openblas*.so`, `scipy_openblas32`).
 *
 * Symbols differ between builds: plain `cblas_sgemm` (32-bit ints), numpy's
 * `scipy_cblas_sgemm` and the ILP64 `..._sgemm64_` variants (64-bit ints).
 * Each candidate is tried with every spelling; the first that binds wins.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { availableParallelism } from "node:os";
import { join } from "node:path";
import koffi from "koffi";
import { preferMatchingOpenBlasCore } from "./openblas_core";

/** Row-major order and transpose flags of the CBLAS interface. */
export const CBLAS_ROW_MAJOR = 101;
export const CBLAS_NO_TRANS = 111;
export const CBLAS_TRANS = 112;

/** A bound single-precision GEMM: C = alpha * op(A) * op(B) + beta * C, row-major. */
export type Sgemm = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: Float32Array,
  lda: number,
  b: Float32Array,
  ldb: number,
  beta: number,
  c: Float32Array,
  ldc: number,
) => void;

/** A loaded BLAS library. */
export interface BlasLibrary {
  /** The path or name it was loaded from. */
  path: string;
  /** The GEMM symbol that was bound, e.g. `scipy_cblas_sgemm64_`. */
  symbol: string;
  /** Library build description (OpenBLAS config string) when it tells one. */
  config: string;
  /** Threads the library uses, when it can be asked; else the number requested. */
  threads: number;
  sgemm: Sgemm;
}

/** Where a BLAS library was found, and every place looked at. */
export interface BlasSearchResult {
  path?: string;
  tried: string[];
}

/** Raised when a named BLAS library (e.g. `TSGPU_BLAS`) cannot be used. */
export class BlasLoadError extends Error {
  override name = "BlasLoadError";
}

const SYSTEM_CANDIDATES: Record<string, string[]> = {
  linux: [
    "libopenblas.so.0",
    "libopenblas.so",
    "libopenblas64_.so.0",
    "libmkl_rt.so.2",
    "libmkl_rt.so",
    "libblis.so.4",
  ],
  darwin: [
    "/opt/homebrew/opt/openblas/lib/libopenblas.dylib",
    "/usr/local/opt/openblas/lib/libopenblas.dylib",
    "/System/Library/Frameworks/Accelerate.framework/Accelerate",
  ],
  win32: ["libopenblas.dll", "mkl_rt.2.dll"],
};

/** GEMM symbol spellings and whether their integers are 64-bit. */
const GEMM_SYMBOLS: { name: string; int64: boolean }[] = [
  { name: "cblas_sgemm", int64: false },
  { name: "scipy_cblas_sgemm", int64: false },
  { name: "cblas_sgemm64_", int64: true },
  { name: "scipy_cblas_sgemm64_", int64: true },
];
const THREAD_SETTERS = [
  "openblas_set_num_threads",
  "scipy_openblas_set_num_threads",
  "openblas_set_num_threads64_",
  "scipy_openblas_set_num_threads64_",
  "MKL_Set_Num_Threads",
  "bli_thread_set_num_threads",
];
const THREAD_GETTERS = [
  "openblas_get_num_threads",
  "scipy_openblas_get_num_threads",
  "openblas_get_num_threads64_",
  "scipy_openblas_get_num_threads64_",
  "MKL_Get_Max_Threads",
];
const CONFIG_GETTERS = ["openblas_get_config", "scipy_openblas_get_config", "openblas_get_config64_", "scipy_openblas_get_config64_"];

/** site-packages folders of the `python3` (or `python`) on PATH; empty if none answers in time. */
function pythonSitePackages(): string[] {
  const script = "import json,site,sys;p=site.getsitepackages();u=site.getusersitepackages();print(json.dumps(p+[u]))";
  for (const exe of ["python3", "python"]) {
    try {
      const out = execFileSync(exe, ["-c", script], { encoding: "utf8", timeout: 5000, stdio: ["ignore", "pipe", "ignore"] });
      const dirs = JSON.parse(out) as unknown;
      if (Array.isArray(dirs)) return dirs.filter((d): d is string => typeof d === "string" && existsSync(d));
    } catch {
      // try the next interpreter name
    }
  }
  return [];
}

/** OpenBLAS builds that numpy/scipy wheels bundle under one site-packages folder. */
function bundledOpenBlas(site: string): string[] {
  const found: string[] = [];
  const folders = ["numpy.libs", "scipy.libs", "numpy/.dylibs", "scipy/.dylibs", "scipy_openblas32/lib", "scipy_openblas64/lib"];
  for (const folder of folders) {
    const dir = join(site, folder);
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names.sort()) {
      if (/^lib(scipy_)?openblas.*\.(so|dylib|dll)/.test(name)) found.push(join(dir, name));
    }
  }
  return found;
}

/** Every candidate, in search order (env first, then system, then Python's). */
export function blasCandidates(): string[] {
  const list: string[] = [];
  const fromEnv = process.env.TSGPU_BLAS;
  if (fromEnv) list.push(fromEnv);
  list.push(...(SYSTEM_CANDIDATES[process.platform] ?? []));
  if (process.env.TSGPU_BLAS_NO_PYTHON !== "1") {
    for (const site of pythonSitePackages()) list.push(...bundledOpenBlas(site));
  }
  return list;
}

type KoffiLib = ReturnType<typeof koffi.load>;

function tryBind(lib: KoffiLib, declaration: string): ((...args: unknown[]) => unknown) | undefined {
  try {
    return lib.func(declaration) as (...args: unknown[]) => unknown;
  } catch {
    return undefined;
  }
}

/**
 * OpenBLAS's idle worker threads spin on sched_yield for 2^28 cycles (about
 * 0.1 s) after each GEMM, on the cores that tsgpu's own loop workers
 * (parallel/thread_pool.ts) need next. Measured on 2 cores, CNN epoch
 * (extrapolated from 30 batches): 79-82 s with that default, 68-69 s with the
 * shortest spin (2^4: the workers then sleep between the GEMMs of one
 * convolution), 62-66 s with 2^16-2^20. OpenBLAS reads the variable when it is
 * loaded; a value the user set is kept.
 */
function preferShortOpenBlasSpin(): void {
  process.env.OPENBLAS_THREAD_TIMEOUT ??= "16";
}

/**
 * A GEMM with fewer multiply-adds than SMALL_GEMM_MACS runs on one BLAS
 * thread unless it follows, within IDLE_GAP_MS, a GEMM big enough for
 * OpenBLAS to have used its worker threads (OPENBLAS_THREADED_MIN_MACS):
 * otherwise the workers have gone to sleep (OPENBLAS_THREAD_TIMEOUT), and
 * waking them costs more than they save. An MLP step's 128x784x128 products
 * (12.8M) took 0.3-0.5 ms on two threads against 0.2-0.3 ms on one. Runs of
 * GEMMs (the taps of a convolution) keep every thread: deciding by size alone
 * made a CNN epoch 30% slower (again 55 s against 71-74 s when only GEMMs
 * that had run on several threads counted). GEMMs under OpenBLAS's threshold
 * run on one thread whatever is asked, so they do not keep workers awake:
 * counting them let the MLP's weight-gradient product, which follows two
 * tiny ones, start two cold threads (0.42 ms against 0.20 ms). Changing the
 * count costs nothing measurable.
 */
const SMALL_GEMM_MACS = 1 << 24;
const IDLE_GAP_MS = 0.05;
/** OpenBLAS runs a GEMM below 65536 * GEMM_MULTITHREAD_THRESHOLD (4) multiply-adds on one thread (interface/gemm.c). */
const OPENBLAS_THREADED_MIN_MACS = 1 << 18;

function bind(path: string, requestedThreads: number): BlasLibrary | string {
  let lib: KoffiLib;
  preferShortOpenBlasSpin();
  preferMatchingOpenBlasCore();
  try {
    lib = koffi.load(path);
  } catch (error) {
    return `cannot load (${(error as Error).message.split("\n")[0]})`;
  }
  for (const { name, int64 } of GEMM_SYMBOLS) {
    const int = int64 ? "int64_t" : "int";
    const raw = tryBind(
      lib,
      `void ${name}(int order, int transA, int transB, ${int} m, ${int} n, ${int} k, float alpha, const float *a, ${int} lda, const float *b, ${int} ldb, float beta, float *c, ${int} ldc)`,
    );
    if (!raw) continue;
    let threads = requestedThreads;
    let setThreads: ((n: number) => void) | undefined;
    for (const setter of THREAD_SETTERS) {
      const set = tryBind(lib, `void ${setter}(int n)`);
      if (set) {
        set(requestedThreads);
        setThreads = (n) => set(n);
        break;
      }
    }
    for (const getter of THREAD_GETTERS) {
      const get = tryBind(lib, `int ${getter}()`);
      if (get) {
        threads = get() as number;
        break;
      }
    }
    let config = "";
    for (const getter of CONFIG_GETTERS) {
      const get = tryBind(lib, `const char *${getter}()`);
      if (get) {
        config = String(get() ?? "");
        break;
      }
    }
    // A small GEMM while the workers sleep runs on one thread (see SMALL_GEMM_MACS).
    let current = threads;
    let lastSubstantialEnd = 0;
    const sgemm: Sgemm = (transA, transB, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc) => {
      const macs = m * n * k;
      const wanted = macs < SMALL_GEMM_MACS && performance.now() - lastSubstantialEnd > IDLE_GAP_MS ? 1 : threads;
      if (setThreads && wanted !== current) {
        setThreads(wanted);
        current = wanted;
      }
      raw(
        CBLAS_ROW_MAJOR,
        transA ? CBLAS_TRANS : CBLAS_NO_TRANS,
        transB ? CBLAS_TRANS : CBLAS_NO_TRANS,
        m, n, k, alpha, a, lda, b, ldb, beta, c, ldc,
      );
      if (macs >= OPENBLAS_THREADED_MIN_MACS) lastSubstantialEnd = performance.now();
    };
    return { path, symbol: name, config, threads, sgemm };
  }
  return `loaded but has no ${GEMM_SYMBOLS.map((s) => s.name).join("/")}`;
}

/** Threads to ask the library for: `TSGPU_BLAS_THREADS`, else every logical core. */
export function requestedThreadCount(): number {
  const fromEnv = Number(process.env.TSGPU_BLAS_THREADS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

let loaded: BlasLibrary | undefined;
let lastSearch: BlasSearchResult | undefined;

/**
 * Tries each candidate in order (no caching) and binds the first that has a
 * GEMM symbol. `tried` says, for each candidate, why it failed or that it loaded.
 */
export function searchBlas(candidates: readonly string[], threads = requestedThreadCount()): { library?: BlasLibrary; tried: string[] } {
  const tried: string[] = [];
  for (const candidate of candidates) {
    const result = bind(candidate, threads);
    if (typeof result === "string") {
      tried.push(`${candidate}: ${result}`);
      continue;
    }
    tried.push(`${candidate}: ok (${result.symbol})`);
    return { library: result, tried };
  }
  return { tried };
}

/**
 * Loads the first usable BLAS library of {@link blasCandidates} (cached after
 * the first success). Returns the library, or only `tried` when none loads.
 */
export function loadBlas(): { library?: BlasLibrary; tried: string[] } {
  if (loaded && lastSearch) return { library: loaded, tried: lastSearch.tried };
  const { library, tried } = searchBlas(blasCandidates());
  if (library) loaded = library;
  lastSearch = { ...(library ? { path: library.path } : {}), tried };
  return library ? { library, tried } : { tried };
}

/** Where the BLAS library is (loading it if needed), and the candidates tried. */
export function findBlasLibrary(): BlasSearchResult {
  const { library, tried } = loadBlas();
  return library ? { path: library.path, tried } : { tried };
}

/** The loaded library; throws {@link BlasLoadError} when none can be found. */
export function requireBlas(): BlasLibrary {
  const { library, tried } = loadBlas();
  if (!library) {
    throw new BlasLoadError(
      `No BLAS library found for the cpu-blas backend. Tried: ${tried.join("; ")}. ` +
        "Install OpenBLAS (Debian: apt-get install libopenblas0-pthread; macOS has Accelerate) " +
        "or set TSGPU_BLAS to the path of a CBLAS shared library.",
    );
  }
  return library;
}
