import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { BIAS_GELU_GRAD_KERNEL, BIAS_GELU_KERNEL, validateBiasGelu } from "../../../fused/gpt/index.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { biasGeluBackward, biasGeluForward } from "../kernel_utils/gpt_math.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";

/** Bias + GELU forward (kernel/fused/gpt/bias_gelu.ts), one pass. */
function biasGelu(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x, bias } = args.inputs as Record<"x" | "bias", TensorInfo>;
  const channels = validateBiasGelu(x, bias);
  const xv = floatValues(backend, x)!;
  const y = float32Pool.alloc(xv.length);
  biasGeluForward(xv, floatValues(backend, bias)!, channels, y);
  return output(backend, x.shape.slice(), y);
}

/** Bias + GELU backward: dx and dbias in one pass (u recomputed). */
function biasGeluGrad(args: KernelArgs): TensorInfo[] {
  const { backend } = args;
  const { dy, x, bias } = args.inputs as Record<"dy" | "x" | "bias", TensorInfo>;
  const channels = validateBiasGelu(x, bias);
  const xv = floatValues(backend, x)!;
  const dx = float32Pool.alloc(xv.length);
  const db = new Float32Array(channels);
  biasGeluBackward(floatValues(backend, dy)!, xv, floatValues(backend, bias)!, channels, dx, db);
  return [output(backend, x.shape.slice(), dx), output(backend, [channels], db)];
}

export const biasGeluConfigs: KernelConfig[] = [
  { kernelName: BIAS_GELU_KERNEL, backendName: "cpu-blas", kernelFunc: biasGelu as unknown as KernelConfig["kernelFunc"] },
  { kernelName: BIAS_GELU_GRAD_KERNEL, backendName: "cpu-blas", kernelFunc: biasGeluGrad as unknown as KernelConfig["kernelFunc"] },
];
