import { type KernelConfig, Sum, type SumAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle, sizeOf } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { LOOPS } from "../kernel_utils/loops.js";
import { runRange } from "../kernel_utils/parallel/thread_pool.js";

/**
 * Sum (float32) over a leading or a trailing block of axes without the
 * transpose tfjs's cpu kernel makes first: the bias gradient of a conv layer
 * sums [batch, h, w, c] over [0, 1, 2], which tfjs transposes element by
 * element. Partial sums are kept in float64, as tfjs's JS accumulator does.
 * Other axis sets use tfjs's kernel.
 */
export function sumKernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x } = args.inputs as { x: TensorInfo };
  const { axis, keepDims } = args.attrs as unknown as SumAttrs;
  const values = floatValues(backend, x);
  const rank = x.shape.length;
  const axes = util.parseAxisParam(axis, x.shape).sort((a, b) => a - b);
  if (!values || axes.length === 0 || axes.some((a, i) => i > 0 && a === axes[i - 1])) return runCpuKernelSingle(Sum, args);
  const leading = axes.every((a, i) => a === i);
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  if (!leading && !trailing) return runCpuKernelSingle(Sum, args);
  const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
  const reduceSize = sizeOf(axes.map((a) => x.shape[a]!));
  const outSize = sizeOf(outShape);
  const out = float32Pool.alloc(outSize);
  const loop = trailing ? LOOPS.SumTrailing! : LOOPS.SumLeading!;
  runRange(loop, [values, out], [reduceSize], outSize, reduceSize);
  return output(backend, outShape, out);
}

export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: "cpu-blas",
  kernelFunc: sumKernel as unknown as KernelConfig["kernelFunc"],
};
