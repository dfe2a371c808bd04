/**
 * The kernels a GPT step calls, at the GPT's shapes, on the cuda backend's
 * CPU emulator against tfjs's cpu backend (cases in tests/gpu/gpt_kernel_cases.ts;
 * the GPU tier runs the same cases on a GPU).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { CUDA_KERNEL_CONFIGS } from "../../../kernel/backends/cuda/register_all_kernels";
import { checkCase } from "../../gpu/kernel_cases";
import { GPT_KERNEL_CASES } from "../../gpu/gpt_kernel_cases";
import { emulatedCudaSkipReason, startEmulatedCuda } from "./emulated_cuda";

/** What a GPT's fit, generate, logits and evaluate call on the cpu backend (tfjs 4.22; docs/cuda-backend.md). */
export const GPT_KERNELS = [
  "Add", "AddN", "BatchMatMul", "Cast", "Concat", "Exp", "Floor", "GatherV2", "Identity", "Log", "Max", "Mean", "Minimum",
  "Multiply", "Neg", "OneHot", "PadV2", "Pow", "RealDiv", "Reshape", "Rsqrt", "Slice", "Softmax", "SplitV", "Sqrt", "Square",
  "Sub", "Sum", "Tanh", "Transpose", "ZerosLike", "_FusedMatMul",
];

describe("the GPT's kernels on the cuda emulator", { skip: emulatedCudaSkipReason() }, () => {
  let cleanup = () => {};
  before(async () => {
    cleanup = startEmulatedCuda();
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

  for (const c of GPT_KERNEL_CASES) it(`${c.kernel}: ${c.label}`, () => checkCase(c));
});
