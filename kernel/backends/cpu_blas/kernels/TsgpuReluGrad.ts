import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { RELU_GRAD_KERNEL, validateReluGradInputs } from "../../../fused/relu_grad.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { runLoop } from "../kernel_utils/simd.js";

/** The fused ReLU gradient (kernel/fused/relu_grad.ts) in one pass (loops.ts `ReluGrad`). */
function reluGrad(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, x } = args.inputs as { dy: TensorInfo; x: TensorInfo };
  validateReluGradInputs(dy, x);
  const dyv = floatValues(backend, dy)!;
  const xv = floatValues(backend, x)!;
  const out = float32Pool.alloc(xv.length);
  runLoop("ReluGrad", [dyv, xv, out], [], out.length);
  return output(backend, x.shape.slice(), out);
}

export const reluGradConfig: KernelConfig = {
  kernelName: RELU_GRAD_KERNEL,
  backendName: "cpu-blas",
  kernelFunc: reluGrad as unknown as KernelConfig["kernelFunc"],
};
