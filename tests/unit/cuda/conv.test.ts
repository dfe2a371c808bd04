/**
 * The conv family of the cuda backend on the CPU emulator against tfjs's cpu
 * backend (cases in tests/gpu/cnn_kernel_cases.ts; the GPU tier runs the same).
 */
import { after, before, describe, it } from "node:test";
import { CONV_CASES } from "../../gpu/cnn_kernel_cases";
import { checkCase } from "../../gpu/kernel_cases";
import { emulatedCudaSkipReason, startEmulatedCuda } from "./emulated_cuda";

describe("convolutions (Conv2D, its gradients, FusedConv2D, depthwise) on the emulator match the cpu backend", { skip: emulatedCudaSkipReason() }, () => {
  let stop: () => Promise<void> = async () => {};
  before(async () => {
    stop = await startEmulatedCuda();
  });
  after(() => stop());

  for (const c of CONV_CASES) it(`${c.kernel}: ${c.label}`, () => checkCase(c));
});
