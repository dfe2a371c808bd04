import { type KernelConfig, Softmax, type SoftmaxAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle } from "../kernel_support.js";
import { float32Pool } from "../buffer_pool.js";

/**
 * Softmax over the last axis, one row at a time: max, exp(x - max) written to
 * the output while summing, then a scale by 1 / sum. tfjs's cpu kernel runs
 * six kernels with [rows, 1] broadcasts through its generic index loop (about
 * 0.5 ms for a [128, 10] batch; this takes a few microseconds).
 */
function softmax(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { logits } = args.inputs as { logits: TensorInfo };
  const { dim } = args.attrs as unknown as SoftmaxAttrs;
  const rank = logits.shape.length;
  const values = floatValues(backend, logits);
  if (!values || rank === 0 || (dim !== -1 && dim !== rank - 1)) return runCpuKernelSingle(Softmax, args);
  const columns = logits.shape[rank - 1]!;
  const out = float32Pool.alloc(values.length);
  if (columns === 0) return output(backend, logits.shape.slice(), out);
  for (let start = 0; start < values.length; start += columns) {
    const end = start + columns;
    let max = -Infinity;
    for (let i = start; i < end; i++) max = Math.max(max, values[i]!);
    let sum = 0;
    for (let i = start; i < end; i++) {
      out[i] = Math.exp(values[i]! - max);
      sum += out[i]!;
    }
    const total = Math.fround(sum);
    for (let i = start; i < end; i++) out[i] = out[i]! / total;
  }
  return output(backend, logits.shape.slice(), out);
}

export const softmaxConfig: KernelConfig = {
  kernelName: Softmax,
  backendName: "cpu-blas",
  kernelFunc: softmax as unknown as KernelConfig["kernelFunc"],
};
