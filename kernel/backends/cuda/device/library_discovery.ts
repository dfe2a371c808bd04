/**
 * Finds the CUDA shared libraries where users have them, for CUDA 12 and 13:
 * an explicit override variable, `CUDA_HOME`/`CUDA_PATH`, `LD_LIBRARY_PATH`,
 * pip's `site-packages/nvidia/<lib>/lib` and `nvidia/cu13/lib` (of the active
 * virtual environment and of the `python3` on PATH), the dynamic loader's
 * cache (`ldconfig -p`) and `/usr/local/cuda*`. Every place looked at is
 * recorded, so `tsgpu doctor` can say what was tried when something is missing.
 *
 * The machine is reached only through {@link DiscoveryEnvironment}, so the
 * search is tested on fake library trees.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";

/** The libraries the backend loads. */
export type CudaLibraryName = "cuda" | "nvrtc" | "cublas" | "cublasLt";

/** How one library is named and where pip puts it. */
export interface LibrarySpec {
  name: CudaLibraryName;
  /** File names, most preferred first (CUDA 13 before 12). */
  fileNames: string[];
  /** Folders under `site-packages/` holding it in pip wheels. */
  pipFolders: string[];
  /** Variable naming the file directly, e.g. TSGPU_NVRTC_PATH. */
  overrideVariable: string;
  /** True for the driver: it is never taken from a toolkit (whose copy is a link stub). */
  fromDriver: boolean;
}

export const LIBRARY_SPECS: Record<CudaLibraryName, LibrarySpec> = {
  cuda: {
    name: "cuda",
    fileNames: ["libcuda.so.1", "libcuda.so"],
    pipFolders: [],
    overrideVariable: "TSGPU_LIBCUDA_PATH",
    fromDriver: true,
  },
  nvrtc: {
    name: "nvrtc",
    fileNames: ["libnvrtc.so.13", "libnvrtc.so.12", "libnvrtc.so"],
    pipFolders: ["nvidia/cu13/lib", "nvidia/cuda_nvrtc/lib"],
    overrideVariable: "TSGPU_NVRTC_PATH",
    fromDriver: false,
  },
  cublas: {
    name: "cublas",
    fileNames: ["libcublas.so.13", "libcublas.so.12", "libcublas.so"],
    pipFolders: ["nvidia/cu13/lib", "nvidia/cublas/lib"],
    overrideVariable: "TSGPU_CUBLAS_PATH",
    fromDriver: false,
  },
  cublasLt: {
    name: "cublasLt",
    fileNames: ["libcublasLt.so.13", "libcublasLt.so.12", "libcublasLt.so"],
    pipFolders: ["nvidia/cu13/lib", "nvidia/cublas/lib"],
    overrideVariable: "TSGPU_CUBLASLT_PATH",
    fromDriver: false,
  },
};

/** What discovery may ask of the machine. */
export interface DiscoveryEnvironment {
  env: Record<string, string | undefined>;
  /** site-packages folders of the Python environments to search. */
  pythonSitePackages(): string[];
  /** `ldconfig -p` output (empty when unavailable). */
  ldconfigOutput(): string;
  /** Folders holding `cuda`, `cuda-12.x`... toolkits (normally /usr/local). */
  toolkitParents: string[];
  /** The system's library folders, searched for the driver. */
  systemLibraryDirs: string[];
  exists(path: string): boolean;
  listDir(path: string): string[];
}

/** One place looked at. */
export interface SearchAttempt {
  path: string;
  /** Where the path came from, e.g. "CUDA_HOME", "pip", "ldconfig". */
  source: string;
  found: boolean;
}

/** The result of searching for one library. */
export interface LibrarySearch {
  library: CudaLibraryName;
  /** Existing files, best first; the loader tries them in order. */
  candidates: string[];
  attempts: SearchAttempt[];
}

/** Searches for one library; never throws. */
export function findLibrary(name: CudaLibraryName, environment: DiscoveryEnvironment = systemEnvironment()): LibrarySearch {
  const spec = LIBRARY_SPECS[name];
  const attempts: SearchAttempt[] = [];
  const candidates: string[] = [];
  const seen = new Set<string>();
  const tryPath = (path: string, source: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    const found = environment.exists(path);
    attempts.push({ path, source, found });
    if (found) candidates.push(path);
  };
  const tryDir = (dir: string, source: string) => {
    if (spec.fromDriver && /(^|\/)stubs\/?$/.test(dir)) return;
    for (const file of spec.fileNames) tryPath(join(dir, file), source);
  };

  const override = environment.env[spec.overrideVariable];
  if (override) tryPath(override, spec.overrideVariable);

  if (!spec.fromDriver) {
    for (const variable of ["CUDA_HOME", "CUDA_PATH"]) {
      const root = environment.env[variable];
      if (root) for (const dir of toolkitLibDirs(root)) tryDir(dir, variable);
    }
  }
  for (const dir of splitPathList(environment.env.LD_LIBRARY_PATH)) tryDir(dir, "LD_LIBRARY_PATH");
  for (const sitePackages of environment.pythonSitePackages()) {
    for (const folder of spec.pipFolders) tryDir(join(sitePackages, folder), "pip");
  }
  const cache = parseLdconfig(environment.ldconfigOutput());
  for (const file of spec.fileNames) for (const path of cache.get(file) ?? []) tryPath(path, "ldconfig");
  if (spec.fromDriver) {
    for (const dir of environment.systemLibraryDirs) tryDir(dir, "system");
  } else {
    for (const root of toolkitRoots(environment)) for (const dir of toolkitLibDirs(root)) tryDir(dir, "toolkit");
  }
  return { library: name, candidates, attempts };
}

/** A toolkit's library folders, x86-64 Linux layout. */
export function toolkitLibDirs(root: string): string[] {
  return [join(root, "lib64"), join(root, "lib"), join(root, "targets/x86_64-linux/lib")];
}

/** `/usr/local/cuda`, then versioned toolkits newest first. */
function toolkitRoots(environment: DiscoveryEnvironment): string[] {
  const roots: string[] = [];
  for (const parent of environment.toolkitParents) {
    const names = environment.listDir(parent).filter((n) => /^cuda(-\d+(\.\d+)*)?$/.test(n));
    names.sort((a, b) => compareToolkitNames(a, b));
    roots.push(...names.map((n) => join(parent, n)));
  }
  return roots;
}

function compareToolkitNames(a: string, b: string): number {
  if (a === "cuda") return -1;
  if (b === "cuda") return 1;
  const version = (n: string) => n.slice(5).split(".").map(Number);
  const va = version(a);
  const vb = version(b);
  for (let i = 0; i < Math.max(va.length, vb.length); i++) {
    const d = (vb[i] ?? 0) - (va[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

function splitPathList(value: string | undefined): string[] {
  return (value ?? "").split(":").filter((p) => p.length > 0);
}

/** Parses `ldconfig -p`: soname -> paths (x86-64 entries only). */
export function parseLdconfig(output: string): Map<string, string[]> {
  const entries = new Map<string, string[]>();
  for (const line of output.split("\n")) {
    const match = /^\s*(\S+)\s+\(([^)]*)\)\s+=>\s+(\S+)\s*$/.exec(line);
    if (!match) continue;
    const [, soname, flags, path] = match as unknown as [string, string, string, string];
    if (!flags.includes("x86-64") && process.arch === "x64") continue;
    const list = entries.get(soname) ?? [];
    list.push(path);
    entries.set(soname, list);
  }
  return entries;
}

let cachedSitePackages: string[] | undefined;

/** site-packages of $VIRTUAL_ENV's and PATH's python3, asked once per process. */
function systemSitePackages(env: Record<string, string | undefined>): string[] {
  if (cachedSitePackages) return cachedSitePackages;
  const folders: string[] = [];
  const pythons = env.VIRTUAL_ENV ? [join(env.VIRTUAL_ENV, "bin/python3"), "python3"] : ["python3"];
  for (const python of pythons) {
    try {
      const out = execFileSync(
        python,
        ["-c", "import site,sys;print('\\n'.join(site.getsitepackages()+[site.getusersitepackages()]))"],
        { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] },
      );
      for (const line of out.split("\n")) if (line.trim() && !folders.includes(line.trim())) folders.push(line.trim());
    } catch {
      // No such python: nothing to add.
    }
  }
  cachedSitePackages = folders;
  return folders;
}

let cachedLdconfig: string | undefined;

function systemLdconfig(): string {
  if (cachedLdconfig !== undefined) return cachedLdconfig;
  cachedLdconfig = "";
  for (const command of ["ldconfig", "/sbin/ldconfig", "/usr/sbin/ldconfig"]) {
    try {
      cachedLdconfig = execFileSync(command, ["-p"], { encoding: "utf8", timeout: 10_000, stdio: ["ignore", "pipe", "ignore"] });
      break;
    } catch {
      // Try the next location.
    }
  }
  return cachedLdconfig;
}

/** The real machine. */
export function systemEnvironment(): DiscoveryEnvironment {
  return {
    env: process.env,
    pythonSitePackages: () => systemSitePackages(process.env),
    ldconfigOutput: systemLdconfig,
    toolkitParents: ["/usr/local"],
    // NVIDIA's container runtime mounts the driver under /usr/local/nvidia; WSL under /usr/lib/wsl/lib.
    systemLibraryDirs: ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/lib/x86_64-linux-gnu", "/usr/local/nvidia/lib64", "/usr/local/nvidia/lib", "/usr/lib/wsl/lib"],
    exists: (path) => existsSync(path),
    listDir: (path) => {
      try {
        return readdirSync(path);
      } catch {
        return [];
      }
    },
  };
}
