/**
 * Where the tests find NVRTC: $TSGPU_NVRTC_PATH, the project's .venv
 * (`node scripts/python_env.js` installs nvidia-cuda-nvrtc-cu12 there), then
 * normal discovery. Undefined when there is none (the tests then skip).
 */
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { findLibrary } from "../../../kernel/backends/cuda/device/library_discovery";

export function nvrtcPathForTests(): string | undefined {
  if (process.env.TSGPU_NVRTC_PATH) return process.env.TSGPU_NVRTC_PATH;
  const venvLib = resolve(__dirname, "../../../../.venv/lib");
  if (existsSync(venvLib)) {
    for (const python of readdirSync(venvLib)) {
      for (const folder of ["nvidia/cuda_nvrtc/lib/libnvrtc.so.12", "nvidia/cu13/lib/libnvrtc.so.13"]) {
        const path = join(venvLib, python, "site-packages", folder);
        if (existsSync(path)) return path;
      }
    }
  }
  return findLibrary("nvrtc").candidates[0];
}

export const NO_NVRTC_MESSAGE =
  "NVRTC not found: run `node scripts/python_env.js` (installs nvidia-cuda-nvrtc-cu12 into .venv) or set TSGPU_NVRTC_PATH to a libnvrtc.so";
