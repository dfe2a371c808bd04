/**
 * The tsgpu kernelspec (`<data dir>/kernels/tsgpu/kernel.json`), written with
 * an absolute path to the running `node`, so Jupyter starts the same Node that
 * installed it, whatever PATH the server has.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";

export const KERNEL_NAME = "tsgpu";
const PACKAGE_ROOT = path.resolve(__dirname, "..", "..", "..");

export function kernelSpec(): Record<string, unknown> {
  return {
    argv: [process.execPath, path.join(PACKAGE_ROOT, "bin", "tsgpu.js"), "kernel", "--connection-file", "{connection_file}"],
    display_name: "TypeScript (tsgpu)",
    language: "typescript",
    interrupt_mode: "message",
    env: {},
    // JupyterLab enables its debugger for kernels whose spec says so (docs/debugger.md).
    metadata: { debugger: true },
  };
}

/** Writes the kernelspec and its logos into `dataDir`; returns the kernel's folder. */
export function installKernelSpec(dataDir: string): string {
  const folder = path.join(dataDir, "kernels", KERNEL_NAME);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, "kernel.json"), `${JSON.stringify(kernelSpec(), null, 2)}\n`);
  for (const logo of ["logo-32x32.png", "logo-64x64.png", "logo-svg.svg"]) {
    const source = path.join(PACKAGE_ROOT, "assets", logo);
    if (existsSync(source)) copyFileSync(source, path.join(folder, logo));
  }
  return folder;
}

export function uninstallKernelSpec(dataDir: string): boolean {
  const folder = path.join(dataDir, "kernels", KERNEL_NAME);
  if (!existsSync(folder)) return false;
  rmSync(folder, { recursive: true, force: true });
  return true;
}
