/**
 * GPU faults injected into the CPU emulator of libcuda (emulator/fake_libcuda.c reads
 * TSGPU_EMU_FAIL_ALLOC_AT and TSGPU_EMU_LOSE_DEVICE_AT_LAUNCH at each call) and a library
 * made to look missing (TSGPU_CUBLAS_PATH at a file that does not exist). Each must give
 * the user an error that names the cause and what to do, and out-of-memory must leave the
 * backend usable for a smaller retry. The device-lost case runs last: it is sticky for
 * this process, as on a real GPU. tests/gpu/faults.test.ts runs the same checks on a GPU.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { CudaDeviceLostError, CudaOutOfMemoryError } from "../../../kernel/backends/cuda/index";
import { emulatedCudaSkipReason, startEmulatedCuda } from "./emulated_cuda";

const skip = emulatedCudaSkipReason();

describe("GPU faults on the CPU emulator", { skip }, () => {
  let stop: () => Promise<void>;

  before(async () => {
    stop = await startEmulatedCuda(64);
  });

  after(async () => {
    delete process.env.TSGPU_EMU_FAIL_ALLOC_AT;
    delete process.env.TSGPU_EMU_LOSE_DEVICE_AT_LAUNCH;
    await stop();
  });

  it("out of memory says how much was asked, free/total/reserved and what to try; a smaller retry succeeds", () => {
    assert.throws(() => tf.fill([32 * 1024 * 1024], 1), (error: unknown) => {
      assert.ok(error instanceof CudaOutOfMemoryError, String(error));
      assert.match(error.message, /CUDA out of memory: tried to allocate 128 MiB; the GPU has .* free of 64(\.0)? MiB, and this process holds .* reserved/);
      assert.match(error.message, /tf\.dispose/);
      assert.match(error.message, /smaller batch/);
      assert.match(error.message, /use\("cpu-blas"\)/);
      return true;
    });
    assert.deepEqual(Array.from(tf.fill([1024], 2).slice([0], [3]).dataSync()), [2, 2, 2]);
  });

  it("an injected allocation failure (TSGPU_EMU_FAIL_ALLOC_AT) is an out-of-memory error, and the backend recovers", () => {
    const before = tf.memory().numTensors;
    process.env.TSGPU_EMU_FAIL_ALLOC_AT = "1";
    try {
      assert.throws(() => tf.fill([300_000], 1), CudaOutOfMemoryError);
    } finally {
      delete process.env.TSGPU_EMU_FAIL_ALLOC_AT;
    }
    assert.equal(tf.memory().numTensors, before, "the failed op left no tensor behind");
    assert.deepEqual(Array.from(tf.add(tf.fill([300_000], 1), 1).slice([0], [2]).dataSync()), [2, 2]);
  });

  it("a missing library names it and how to install it", () => {
    const script = `const c = require(${JSON.stringify(resolve(__dirname, "../../../kernel/backends/cuda/index"))}); console.log(c.registerCudaBackend().detail);`;
    const detail = execFileSync(process.execPath, ["-e", script], { env: { ...process.env, TSGPU_CUBLAS_PATH: "/nonexistent/libcublas.so.12" }, encoding: "utf8" });
    assert.match(detail, /cuBLAS/);
    assert.match(detail, /pip install nvidia-cublas-cu12/);
    assert.match(detail, /TSGPU_CUBLAS_PATH/);
  });

  it("a lost device (TSGPU_EMU_LOSE_DEVICE_AT_LAUNCH) says the context is lost, tensors are gone, restart or use cpu-blas", async () => {
    const a = tf.fill([64], 1);
    process.env.TSGPU_EMU_LOSE_DEVICE_AT_LAUNCH = "1";
    const lost = (error: unknown) => {
      assert.ok(error instanceof CudaDeviceLostError, String(error));
      assert.match(error.message, /GPU context is lost/);
      assert.match(error.message, /CUDA_ERROR_LAUNCH_FAILED/);
      assert.match(error.message, /Tensors on the cuda backend are gone/);
      assert.match(error.message, /Restart the kernel/);
      assert.match(error.message, /use\("cpu-blas"\)/);
      return true;
    };
    assert.throws(() => tf.add(a, 1).dataSync(), lost);
    delete process.env.TSGPU_EMU_LOSE_DEVICE_AT_LAUNCH;
    assert.throws(() => tf.mul(a, 2).dataSync(), lost, "the error is sticky, as on a GPU");
    await tf.setBackend("cpu");
    assert.deepEqual(Array.from(tf.add(tf.ones([2]), 1).dataSync()), [2, 2], "the CPU still works in the same process");
  });
});
