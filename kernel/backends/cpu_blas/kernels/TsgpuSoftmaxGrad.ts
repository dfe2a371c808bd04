import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { SOFTMAX_GRAD_KERNEL, validateSoftmaxGradInputs } from "../../../fused/softmax_grad.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { softmaxGradRows } from "../kernel_utils/softmax_crossentropy.js";

/** The fused softmax gradient (kernel/fused/softmax_grad.ts), one row at a time (softmax_crossentropy.ts). */
function softmaxGrad(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
  const { columns } = validateSoftmaxGradInputs(dy, y);
  const dyv = floatValues(backend, dy)!;
  const yv = floatValues(backend, y)!;
  const out = float32Pool.alloc(yv.length);
  softmaxGradRows(dyv, yv, out, columns);
  return output(backend, y.shape.slice(), out);
}

export const softmaxGradConfig: KernelConfig = {
  kernelName: SOFTMAX_GRAD_KERNEL,
  backendName: "cpu-blas",
  kernelFunc: softmaxGrad as unknown as KernelConfig["kernelFunc"],
};
