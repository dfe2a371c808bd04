/**
 * Builds the CPU emulator of the CUDA driver and cuBLAS used by the emulated
 * backend tests: a fake libcuda.so.1 and libcublas.so.12 (C, this folder) and
 * a host library of every generated kernel family, compiled by g++ from the
 * same CUDA C the GPU runs (with cuda_emulator.h) plus one generated
 * `<kernel>__launch(params, grid)` wrapper per kernel. Built once per source
 * hash into the temp folder.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { KERNEL_FAMILIES } from "../../../../kernel/backends/cuda/sources/kernel_families";

/** Folder of the C sources (tsc does not copy them to build/). */
const SOURCE_DIR = resolve(__dirname, "../../../../../tests/unit/cuda/emulator");

export interface Emulator {
  libcuda: string;
  libcublas: string;
  kernels: string;
}

/** Why the emulator cannot be built here, or undefined when it can. */
export function emulatorUnavailableReason(): string | undefined {
  for (const tool of ["gcc", "g++"]) {
    try {
      execFileSync(tool, ["--version"], { stdio: "ignore" });
    } catch {
      return `${tool} not found: the CUDA emulator tests need a C/C++ compiler (apt-get install g++)`;
    }
  }
  if (!existsSync(join(SOURCE_DIR, "fake_libcuda.c"))) return `emulator sources not found in ${SOURCE_DIR}`;
  return undefined;
}

/** `extern "C" void <name>__launch(void** p, unsigned grid)` for every kernel in `source`. */
export function launchWrappers(source: string): string {
  const wrappers: string[] = [];
  for (const match of source.matchAll(/extern "C" __global__ void (\w+)\(([^)]*)\)/g)) {
    const [, name, params] = match as unknown as [string, string, string];
    const types = params.split(",").map((p) => p.replace(/__restrict__/g, "").trim().replace(/\s*\b\w+$/, "").trim());
    const args = types.map((type, i) => `*(${type}*)p[${i}]`).join(", ");
    wrappers.push(`extern "C" void ${name}__launch(void** p, unsigned grid) { EMU_LAUNCH(grid, ${name}(${args})); }`);
  }
  return wrappers.join("\n");
}

/** Builds (or reuses) the emulator libraries. */
export function buildEmulator(): Emulator {
  const families = Object.entries(KERNEL_FAMILIES).map(([family, source]) => [family, source()] as const);
  const hash = createHash("sha256");
  for (const file of ["cuda_emulator.h", "fake_libcuda.c", "fake_libcublas.c"]) hash.update(readFileSync(join(SOURCE_DIR, file)));
  for (const [, source] of families) hash.update(source);
  const dir = join(tmpdir(), `tsgpu-cuda-emulator-${hash.digest("hex").slice(0, 16)}`);
  const emulator = { libcuda: join(dir, "libcuda.so.1"), libcublas: join(dir, "libcublas.so.12"), kernels: join(dir, "kernels.so") };
  if (existsSync(join(dir, "ready"))) return emulator;
  const work = `${dir}.${process.pid}`;
  mkdirSync(work, { recursive: true });
  execFileSync("gcc", ["-shared", "-fPIC", "-O1", "-o", join(work, "libcuda.so.1"), join(SOURCE_DIR, "fake_libcuda.c"), "-ldl"]);
  execFileSync("gcc", ["-shared", "-fPIC", "-O1", "-o", join(work, "libcublas.so.12"), join(SOURCE_DIR, "fake_libcublas.c")]);
  const units = families.map(([family, source]) => {
    const file = join(work, `${family}.cpp`);
    writeFileSync(file, `#include "cuda_emulator.h"\n${source}\n${launchWrappers(source)}\n`);
    return file;
  });
  execFileSync("g++", ["-std=c++20", "-shared", "-fPIC", "-O1", "-w", "-pthread", `-I${SOURCE_DIR}`, "-o", join(work, "kernels.so"), ...units]);
  writeFileSync(join(work, "ready"), "");
  try {
    renameSync(work, dir);
  } catch {
    // Another process built it first: use theirs.
  }
  return emulator;
}
