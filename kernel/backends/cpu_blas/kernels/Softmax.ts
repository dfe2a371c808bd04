import { type KernelConfig, Softmax, type SoftmaxAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { softmaxRows } from "../kernel_utils/softmax_crossentropy.js";

/**
 * Softmax over the last axis, one row at a time (softmax_crossentropy.ts).
 * tfjs's cpu kernel runs six kernels with [rows, 1] broadcasts through its
 * generic index loop (about 0.5 ms for a [128, 10] batch; this takes a few
 * microseconds).
 */
function softmax(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { logits } = args.inputs as { logits: TensorInfo };
  const { dim } = args.attrs as unknown as SoftmaxAttrs;
  const rank = logits.shape.length;
  const values = floatValues(backend, logits);
  if (!values || rank === 0 || (dim !== -1 && dim !== rank - 1)) return runCpuKernelSingle(Softmax, args);
  const out = float32Pool.alloc(values.length);
  softmaxRows(values, out, logits.shape[rank - 1]!);
  return output(backend, logits.shape.slice(), out);
}

export const softmaxConfig: KernelConfig = {
  kernelName: Softmax,
  backendName: "cpu-blas",
  kernelFunc: softmax as unknown as KernelConfig["kernelFunc"],
};
