import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { SOFTMAX_GRAD_KERNEL } from "../../fused/softmax_grad.js";
import { type KernelArgs, floatValues, output } from "../kernel_support.js";
import { float32Pool } from "../buffer_pool.js";

/**
 * The fused softmax gradient (kernel/tensor/fused/softmax_grad.ts), one row
 * at a time, rounding to float32 where tfjs's four kernels do: the product
 * dy * y, the row sum (accumulated in float64, as tfjs's Sum) and sum * y.
 */
function softmaxGrad(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, y } = args.inputs as { dy: TensorInfo; y: TensorInfo };
  const dyv = floatValues(backend, dy);
  const yv = floatValues(backend, y);
  if (!dyv || !yv || dyv.length !== yv.length || y.shape.length === 0) {
    throw new Error(`${SOFTMAX_GRAD_KERNEL} needs float32 dy and y of one shape [..., n], got [${dy.shape}] and [${y.shape}]`);
  }
  const columns = y.shape[y.shape.length - 1]!;
  const out = float32Pool.alloc(yv.length);
  for (let start = 0; columns > 0 && start < yv.length; start += columns) {
    const end = start + columns;
    let sum = 0;
    for (let i = start; i < end; i++) {
      out[i] = dyv[i]! * yv[i]!; // rounded to float32 on store
      sum += out[i]!;
    }
    const total = Math.fround(sum);
    for (let i = start; i < end; i++) out[i] = out[i]! - Math.fround(total * yv[i]!);
  }
  return output(backend, y.shape.slice(), out);
}

export const softmaxGradConfig: KernelConfig = {
  kernelName: SOFTMAX_GRAD_KERNEL,
  backendName: "cpu-blas",
  kernelFunc: softmaxGrad as unknown as KernelConfig["kernelFunc"],
};
