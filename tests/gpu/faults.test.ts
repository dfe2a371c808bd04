/**
 * GPU tier: the out-of-memory check of tests/unit/cuda/fault_injection.test.ts on a real
 * GPU. Asks for more than the device has (total memory + 1 GiB), expects the PyTorch-style
 * message (asked, free/total, reserved, what to try), then a smaller retry in the same
 * process. A lost device cannot be caused safely on real hardware; the emulator covers it.
 * Skips with the reason when this machine has no usable GPU.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { CudaOutOfMemoryError, cudaBackend, cudaDiagnostics, registerCudaBackend } from "../../kernel/backends/cuda/index";

const availability = registerCudaBackend();
const skip = availability.available ? false : `no usable GPU for the cuda backend: ${availability.detail}`;

describe("GPU faults on cuda", { skip }, () => {
  it("out of memory names the sizes and what to try, then a smaller allocation succeeds", async () => {
    await tf.setBackend("cuda");
    const total = (cudaBackend()!.device as unknown as { info: { totalMemoryBytes: number } }).info.totalMemoryBytes;
    const elements = Math.ceil((total + 2 ** 30) / 4);
    assert.throws(() => tf.fill([elements], 1), (error: unknown) => {
      assert.ok(error instanceof CudaOutOfMemoryError, `${error}\n${cudaDiagnostics().detail}`);
      assert.match(error.message, /CUDA out of memory: tried to allocate .*; the GPU has .* free of .*, and this process holds .* reserved/);
      assert.match(error.message, /tf\.dispose/);
      assert.match(error.message, /use\("cpu-blas"\)/);
      return true;
    });
    assert.deepEqual(Array.from(tf.fill([1 << 20], 2).slice([0], [3]).dataSync()), [2, 2, 2]);
  });
});
