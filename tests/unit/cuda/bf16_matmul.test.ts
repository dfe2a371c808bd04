/**
 * The opt-in bf16 matmul (TSGPU_CUDA_BF16=1 / setBf16): inputs rounded to
 * bfloat16 on the device, cublasGemmStridedBatchedEx with fp32 accumulation,
 * on the CPU emulator. It must equal the fp32 product of the inputs rounded
 * to bfloat16 on the host (the rounding is right), stay near the fp32
 * product, and leave fp32 exact when turned off.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import type { CudaBackend } from "../../../kernel/backends/cuda/index";
import { compare, floats, runOn } from "../../gpu/reference";
import { emulatedCudaSkipReason, registerEmulatedCuda } from "./emulated_cuda";

/** float32 -> bfloat16 -> float32, round to nearest even (the device kernel's rule). */
function roundToBf16(values: number[]): number[] {
  const f = new Float32Array(values);
  const u = new Uint32Array(f.buffer);
  for (let i = 0; i < u.length; i++) u[i] = (((u[i]! + 0x7fff + ((u[i]! >>> 16) & 1)) >>> 16) << 16) >>> 0;
  return Array.from(f);
}

describe("bf16 matmul on the cuda emulator", { skip: emulatedCudaSkipReason() }, () => {
  let cleanup = () => {};
  before(async () => {
    cleanup = registerEmulatedCuda();
    assert.ok(await tf.setBackend("cuda"));
  });
  after(async () => {
    (tf.findBackend("cuda") as CudaBackend).setBf16(false);
    await tf.setBackend("cpu");
    cleanup();
  });

  const cases: Array<[string, number[], number[], boolean, boolean]> = [
    ["[33, 67] x [67, 19]", [33, 67], [67, 19], false, false],
    ["transposeB [5, 9] x [7, 9]", [5, 9], [7, 9], false, true],
    ["batched, broadcast [3, 5, 7] x [1, 7, 4]", [3, 5, 7], [1, 7, 4], false, false],
  ];
  for (const [label, sa, sb, ta, tb] of cases) {
    it(`equals the fp32 product of bf16-rounded inputs: ${label}`, async () => {
      const a = floats(sa, -2, 2);
      const b = floats(sb, -2, 2);
      const run = (x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y, ta, tb);
      const backend = tf.findBackend("cuda") as CudaBackend;
      backend.setBf16(true);
      const bf16 = await runOn("cuda", [a, b], run);
      backend.setBf16(false);
      const fp32 = await runOn("cuda", [a, b], run);
      const rounded = await runOn("cpu", [{ ...a, values: roundToBf16(a.values) }, { ...b, values: roundToBf16(b.values) }], run);
      const exact = await runOn("cpu", [a, b], run);
      assert.equal(compare(bf16.results, rounded.results, 1e-4, 1e-4), undefined);
      // bf16 keeps 8 mantissa bits: about 0.4% per input, sums of up to 67 products of values in [-2, 2).
      assert.equal(compare(bf16.results, exact.results, 0.15, 2e-2), undefined);
      assert.equal(compare(fp32.results, exact.results, 1e-4, 1e-4), undefined);
    });
  }
});
