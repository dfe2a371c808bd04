/**
 * The kernels a GPT step calls, at the GPT's shapes, on the cuda backend's
 * CPU emulator against tfjs's cpu backend (cases in tests/gpu/gpt_kernel_cases.ts;
 * the GPU tier runs the same cases on a GPU).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { CudaKernelNotImplementedError } from "../../../kernel/backends/cuda/index";
import { CUDA_KERNEL_CONFIGS } from "../../../kernel/backends/cuda/register_all_kernels";
import { checkCase } from "../../gpu/kernel_cases";
import { GPT_KERNEL_CASES } from "../../gpu/gpt_kernel_cases";
import { emulatedCudaSkipReason, registerEmulatedCuda } from "./emulated_cuda";

/** What a GPT's fit, generate, logits and evaluate call on the cpu backend (tfjs 4.22; docs/cuda-backend.md). */
export const GPT_KERNELS = [
  "Add", "AddN", "BatchMatMul", "Cast", "Concat", "Exp", "Floor", "GatherV2", "Identity", "Log", "Max", "Mean", "Minimum",
  "Multiply", "Neg", "OneHot", "PadV2", "Pow", "RealDiv", "Reshape", "Rsqrt", "Slice", "Softmax", "SplitV", "Sqrt", "Square",
  "Sub", "Sum", "Tanh", "Transpose", "ZerosLike", "_FusedMatMul",
];

describe("the GPT's kernels on the cuda emulator", { skip: emulatedCudaSkipReason() }, () => {
  let cleanup = () => {};
  before(async () => {
    cleanup = registerEmulatedCuda();
    assert.ok(await tf.setBackend("cuda"));
  });
  after(async () => {
    await tf.setBackend("cpu");
    cleanup();
  });

  it("registers every kernel a GPT step calls", () => {
    const registered = new Set(CUDA_KERNEL_CONFIGS.map((c) => c.kernelName));
    assert.deepEqual(GPT_KERNELS.filter((k) => !registered.has(k)), []);
  });

  it("names a kernel cuda lacks and says that cpu-blas runs it, then keeps working", () => {
    const missing = "Diag";
    assert.ok(!CUDA_KERNEL_CONFIGS.some((c) => c.kernelName === missing), `${missing} is implemented now: pick another missing kernel`);
    assert.throws(() => tf.diag(tf.tensor1d([1, 2, 3])), (error: unknown) => {
      assert.ok(error instanceof CudaKernelNotImplementedError, `expected a CudaKernelNotImplementedError, got ${String(error)}`);
      assert.equal(error.kernelName, missing);
      assert.match(error.message, /the cuda backend has no Diag kernel yet: .*use\("cpu-blas"\)/);
      return true;
    });
    assert.deepEqual(Array.from(tf.add(tf.tensor1d([1, 2]), 1).dataSync()), [2, 3]);
  });

  for (const c of GPT_KERNEL_CASES) it(`${c.kernel}: ${c.label}`, () => checkCase(c));
});
