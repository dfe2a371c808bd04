/**
 * Starts the cuda backend on the CPU emulator (emulator/) for a test file or
 * a host-side benchmark: `emulatedCudaSkipReason()` says why it cannot run
 * here (or false), `startEmulatedCuda()` builds the emulator, points the
 * backend at it and registers "cuda"; the returned function cleans up.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as tf from "@tensorflow/tfjs";
import { registerCudaBackend } from "../../../kernel/backends/cuda/index";
import { findLibrary } from "../../../kernel/backends/cuda/device/library_discovery";
import { installTfjsHooks } from "../../../kernel/fused/hooks/index";
import { buildEmulator, emulatorUnavailableReason } from "./emulator/build_emulator";
import { NO_NVRTC_MESSAGE, nvrtcPathForTests } from "./nvrtc_library";

/** Why the emulated backend cannot run here (false when it can). */
export function emulatedCudaSkipReason(): string | false {
  if (findLibrary("cuda").candidates.length > 0) return "this machine has an NVIDIA driver: run the GPU tier (npm run test:gpu)";
  if (!nvrtcPathForTests()) return NO_NVRTC_MESSAGE;
  return emulatorUnavailableReason() ?? false;
}

/** Registers "cuda" on the emulator (memory in MiB) without switching to it; returns the cleanup. */
export function registerEmulatedCuda(memoryMiB = 256): () => void {
  const cacheDir = mkdtempSync(join(tmpdir(), "tsgpu-cuda-emulated-cache-"));
  const emulator = buildEmulator();
  Object.assign(process.env, {
    TSGPU_LIBCUDA_PATH: emulator.libcuda,
    TSGPU_CUBLAS_PATH: emulator.libcublas,
    TSGPU_EMULATOR_KERNELS: emulator.kernels,
    TSGPU_EMULATOR_MEMORY: String(memoryMiB * 1024 * 1024),
    TSGPU_EMULATOR_THREADS: "8",
    TSGPU_NVRTC_PATH: nvrtcPathForTests(),
    TSGPU_CUDA_CACHE_DIR: cacheDir,
  });
  const availability = registerCudaBackend();
  installTfjsHooks(); // the tensor registry installs them; registered directly here
  assert.equal(availability.available, true, availability.detail);
  return () => rmSync(cacheDir, { recursive: true, force: true });
}

/** Registers "cuda" on the emulator (memory in MiB) and makes it the active backend; returns the cleanup. */
export async function startEmulatedCuda(memoryMiB = 256): Promise<() => Promise<void>> {
  const cleanup = registerEmulatedCuda(memoryMiB);
  assert.ok(await tf.setBackend("cuda"));
  return async () => {
    await tf.setBackend("cpu");
    cleanup();
  };
}
