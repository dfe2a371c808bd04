#!/usr/bin/env node
/**
 * Runs the GPU tier (build/tests/gpu, or the files given) on the CPU emulator
 * of the CUDA driver and cuBLAS (tests/unit/cuda/emulator), with the real
 * NVRTC from the project .venv or $TSGPU_NVRTC_PATH, 4 threads per block
 * ($TSGPU_EMULATOR_THREADS). Slow (the MNIST MLP takes a few minutes) but runs
 * the same code paths as a GPU.
 *
 * Usage: npx tsc -p tsconfig.json; node scripts/gpu/run_on_emulator.js [build/tests/gpu/x.test.js ...]
 *    or: node scripts/gpu/run_on_emulator.js build/bench/cuda/host_overhead.js [args]   (a script that is not a test runs as is)
 */
"use strict";
const { spawnSync } = require("node:child_process");
const path = require("node:path");

const root = path.resolve(__dirname, "../..");
const { buildEmulator, emulatorUnavailableReason } = require(path.join(root, "build/tests/unit/cuda/emulator/build_emulator.js"));
const { nvrtcPathForTests, NO_NVRTC_MESSAGE } = require(path.join(root, "build/tests/unit/cuda/nvrtc_library.js"));

const reason = emulatorUnavailableReason() ?? (nvrtcPathForTests() ? undefined : NO_NVRTC_MESSAGE);
if (reason) {
  console.error(`cannot run on the emulator: ${reason}`);
  process.exit(1);
}
const emulator = buildEmulator();
const files = process.argv.slice(2);
const script = files.length > 0 && !files[0].endsWith(".test.js");
const result = spawnSync(process.execPath, script ? files : ["--test", ...(files.length ? files : [path.join(root, "build/tests/gpu/")])], {
  stdio: "inherit",
  env: {
    ...process.env,
    TSGPU_LIBCUDA_PATH: emulator.libcuda,
    TSGPU_CUBLAS_PATH: emulator.libcublas,
    TSGPU_EMULATOR_KERNELS: emulator.kernels,
    TSGPU_NVRTC_PATH: nvrtcPathForTests(),
    TSGPU_EMULATOR_THREADS: process.env.TSGPU_EMULATOR_THREADS ?? "4",
  },
});
process.exit(result.status ?? 1);
