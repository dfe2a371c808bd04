/**
 * `tsgpu doctor`: in a few lines, what a user needs to know on this machine:
 * tsgpu and Node.js, each tensor backend and whether it runs here (and why
 * not), the GPU, the CUDA libraries (and how to get a missing one), and
 * where Jupyter finds the tsgpu kernel and JupyterLab extension.
 *
 * `--verbose` adds every place each CUDA library was looked for.
 *
 * Backends are probed through the tensor runtime's public API (`devices()`),
 * as a notebook would; each section fails on its own, with its reason.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { dataSearchPath } from "./jupyter_paths";
import { KERNEL_NAME } from "./kernelspec";
import { LAB_EXTENSION_NAME } from "./labextension";

const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

/** How to get each CUDA library when it is missing. */
const CUDA_LIBRARY_HINTS: Record<string, string> = {
  cuda: "the NVIDIA driver provides libcuda.so.1 (install the driver, or set TSGPU_LIBCUDA_PATH)",
  nvrtc: "pip install nvidia-cuda-nvrtc-cu12 (CUDA 12 driver) or nvidia-cuda-nvrtc (CUDA 13), a CUDA toolkit, or TSGPU_NVRTC_PATH",
  cublas: "pip install nvidia-cublas-cu12 (CUDA 12 driver) or nvidia-cublas (CUDA 13), a CUDA toolkit, or TSGPU_CUBLAS_PATH",
  cublasLt: "comes with cuBLAS (pip install nvidia-cublas-cu12), or TSGPU_CUBLASLT_PATH",
};

interface DoctorOptions {
  verbose?: boolean;
}

function run(command: string, args: string[]): string | undefined {
  try {
    return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], timeout: 20000 }).trim();
  } catch {
    return undefined;
  }
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, "utf8")) as T;
  } catch {
    return undefined;
  }
}

function section(title: string, lines: string[]): void {
  console.log(`\n${title}`);
  for (const line of lines) console.log(`  ${line}`);
}

/** A section whose failure is reported in place instead of stopping the report. */
async function guarded(title: string, lines: () => Promise<string[]> | string[]): Promise<void> {
  try {
    section(title, await lines());
  } catch (error) {
    section(title, [`could not be checked: ${(error as Error).message.split("\n")[0]}`]);
  }
}

function packageLines(): string[] {
  const pkg = readJson<{ version: string; engines?: { node?: string } }>(path.join(PACKAGE_ROOT, "package.json"));
  const typescript = readJson<{ version: string }>(require.resolve("typescript/package.json"));
  const major = Number(process.versions.node.split(".")[0]);
  const nodeNote = major >= 20 ? "" : " (too old: tsgpu needs Node.js 20 or later)";
  return [
    `tsgpu ${pkg?.version ?? "?"} at ${PACKAGE_ROOT}`,
    `Node.js ${process.version}${nodeNote} at ${process.execPath}; TypeScript ${typescript?.version ?? "?"} for cells`,
  ];
}

interface DeviceReport {
  cpu: { cores: number; model: string; totalMemoryBytes: number };
  gpus: { index: number; name: string; memoryTotalBytes?: number; driverVersion?: string; cudaVersion?: string; source: string }[];
  gpuNote?: string;
  backends: { name: string; available: boolean; detail: string; active: boolean }[];
}

async function deviceLines(): Promise<{ machine: string[]; backends: string[] }> {
  const monitor = require("../monitor/devices") as { devices(): Promise<DeviceReport> };
  const snapshot = await monitor.devices();
  const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  const machine = [`CPU: ${snapshot.cpu.cores} x ${snapshot.cpu.model}, ${gib(snapshot.cpu.totalMemoryBytes)}`];
  for (const gpu of snapshot.gpus) {
    const extra = [gpu.memoryTotalBytes === undefined ? "" : gib(gpu.memoryTotalBytes), gpu.driverVersion && `driver ${gpu.driverVersion}`, gpu.cudaVersion && `CUDA ${gpu.cudaVersion}`]
      .filter(Boolean)
      .join(", ");
    machine.push(`GPU ${gpu.index}: ${gpu.name}${extra ? `, ${extra}` : ""} (seen by ${gpu.source})`);
  }
  if (!snapshot.gpus.some((gpu) => gpu.source !== "webgpu")) machine.push(`no NVIDIA GPU: ${snapshot.gpuNote ?? "none found"}`);
  const width = Math.max(...snapshot.backends.map((b) => b.name.length));
  const backends = snapshot.backends.map((b) => `${b.available ? "ok" : "no"}  ${b.name.padEnd(width)}  ${b.detail}${b.active ? " (default)" : ""}`);
  // Whether tsgpu's fused-kernel routing went into tfjs (it declines on a tfjs it was not written for).
  const hooks = require("../fused/hooks/status") as typeof import("../fused/hooks/status");
  const status = hooks.tfjsHooksStatus();
  backends.push(`${status?.state === "declined" ? "no" : "ok"}  ${hooks.describeTfjsHooks(status)}`);
  return { machine, backends };
}

interface LibraryReport {
  library: string;
  loaded?: string;
  version?: string;
  error?: string;
  rejected: { path: string; reason: string }[];
  search: { attempts: { path: string; source: string; found: boolean }[] };
}

function cudaLibraryLines(verbose: boolean): string[] {
  // The cuda backend's own diagnostics: which file each library came from, or where it was looked for.
  const cuda = require("../backends/cuda") as { cudaDiagnostics(): { libraries: LibraryReport[] } };
  const lines: string[] = [];
  for (const library of cuda.cudaDiagnostics().libraries) {
    const name = library.library.padEnd(8);
    if (library.loaded) {
      lines.push(`ok  ${name}  ${library.loaded}${library.version ? ` (${library.version})` : ""}`);
    } else {
      const rejected = library.rejected.filter((r) => r.path.includes("/"));
      const found = rejected.length ? `found but unusable: ${rejected.map((r) => `${r.path}: ${r.reason}`).join("; ")}` : "missing";
      lines.push(`no  ${name}  ${found}; ${CUDA_LIBRARY_HINTS[library.library] ?? ""}`);
    }
    if (verbose && !library.loaded) for (const attempt of library.search.attempts) lines.push(`      ${attempt.found ? "found  " : "missing"} ${attempt.path} (${attempt.source})`);
  }
  if (!verbose && lines.some((line) => line.startsWith("no"))) lines.push("(`tsgpu doctor --verbose` lists every place searched)");
  return lines;
}

/** Jupyter's data and config search paths: from `jupyter --paths` when Jupyter is installed. */
function jupyterPaths(): { data: string[]; config: string[]; fromJupyter: boolean } {
  const reported = run("jupyter", ["--paths", "--json"]);
  const parsed = reported ? (JSON.parse(reported) as { data?: string[]; config?: string[] }) : undefined;
  if (parsed?.data) return { data: parsed.data, config: parsed.config ?? [], fromJupyter: true };
  return { data: dataSearchPath(), config: [], fromJupyter: false };
}

/** JupyterLab's `disabledExtensions` (object or list) from the page_config.json files, naming tsgpu or one of its plugins. */
function disabledBy(configDirs: string[]): string | undefined {
  for (const dir of configDirs) {
    const file = path.join(dir, "labconfig", "page_config.json");
    const disabled = readJson<{ disabledExtensions?: Record<string, boolean> | string[] }>(file)?.disabledExtensions;
    const names = Array.isArray(disabled) ? disabled : Object.entries(disabled ?? {}).filter(([, on]) => on).map(([name]) => name);
    const ours = names.filter((name) => name === LAB_EXTENSION_NAME || name.startsWith(`${LAB_EXTENSION_NAME}:`));
    if (ours.length) return `${ours.join(", ")} disabled in ${file}`;
  }
  return undefined;
}

function jupyterLines(): string[] {
  const paths = jupyterPaths();
  const lines: string[] = [];
  const ourVersion = readJson<{ version: string }>(path.join(PACKAGE_ROOT, "package.json"))?.version;
  // Jupyter takes the first match in its search path; later copies are shadowed.
  const kernelDirs = paths.data.filter((dir) => existsSync(path.join(dir, "kernels", KERNEL_NAME, "kernel.json")));
  if (kernelDirs.length === 0) lines.push("kernel     not installed: run `npx tsgpu install` (--user, --sys-prefix or --prefix DIR)");
  kernelDirs.forEach((dir, i) => {
    const spec = readJson<{ argv?: string[] }>(path.join(dir, "kernels", KERNEL_NAME, "kernel.json"));
    const script = spec?.argv?.[1] ?? "?";
    const runs = path.resolve(script) === path.join(PACKAGE_ROOT, "bin", "tsgpu.js") ? "this tsgpu" : `another tsgpu (${script})`;
    lines.push(`kernel     ${path.join(dir, "kernels", KERNEL_NAME)}, runs ${runs}${i > 0 ? " (shadowed by the one above)" : ""}`);
  });
  const extensionDirs = paths.data.filter((dir) => existsSync(path.join(dir, "labextensions", LAB_EXTENSION_NAME, "package.json")));
  if (extensionDirs.length === 0) lines.push("extension  not installed: `npx tsgpu install` installs it with the kernel");
  const disabled = disabledBy(paths.config);
  extensionDirs.forEach((dir, i) => {
    const folder = path.join(dir, "labextensions", LAB_EXTENSION_NAME);
    const version = readJson<{ version?: string }>(path.join(folder, "package.json"))?.version ?? "?";
    const state = i > 0 ? "shadowed by the one above" : disabled ? `${disabled} (\`jupyter labextension enable ${LAB_EXTENSION_NAME}\`)` : paths.fromJupyter ? "enabled" : "enabled unless disabled in Jupyter's config";
    const stale = version !== ourVersion ? `; this tsgpu is ${ourVersion}: rerun \`tsgpu install\`` : "";
    lines.push(`extension  ${folder}, version ${version}, ${state}${stale}`);
  });
  const lab = run("jupyter", ["lab", "--version"]);
  lines.push(lab ? `JupyterLab ${lab}` : "JupyterLab not found on PATH: `pip install jupyterlab` (4.5 or later)");
  if (!paths.fromJupyter) lines.push(`(searched ${paths.data.join(", ")}; Jupyter's own list needs \`jupyter\` on PATH)`);
  return lines;
}

export async function doctor(options: DoctorOptions = {}): Promise<void> {
  section("tsgpu", packageLines());
  let devices: { machine: string[]; backends: string[] } | undefined;
  let deviceError: Error | undefined;
  try {
    devices = await deviceLines();
  } catch (error) {
    deviceError = error as Error;
  }
  const failed = () => [`could not be checked: ${deviceError?.message.split("\n")[0]}`];
  section("Machine", devices?.machine ?? failed());
  section("Tensor backends (use(name) in a cell)", devices?.backends ?? failed());
  await guarded("CUDA libraries (for the cuda backend)", () => cudaLibraryLines(options.verbose ?? false));
  await guarded("Jupyter", jupyterLines);
}
