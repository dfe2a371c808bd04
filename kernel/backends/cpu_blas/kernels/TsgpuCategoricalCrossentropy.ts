import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL } from "../../../fused/categorical_crossentropy.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { crossentropyGradRows, crossentropyRows } from "../kernel_utils/softmax_crossentropy.js";

/**
 * The fused categorical cross-entropy and its gradient
 * (kernel/fused/categorical_crossentropy.ts), one pass over each row
 * (softmax_crossentropy.ts).
 */
function rowsOf(kernel: string, target: TensorInfo, outputInfo: TensorInfo): { classes: number; rows: number } {
  if (target.shape.length !== outputInfo.shape.length || target.shape.some((d, i) => d !== outputInfo.shape[i])) {
    throw new Error(`${kernel}: target [${target.shape}] and output [${outputInfo.shape}] must have the same shape`);
  }
  const classes = outputInfo.shape[outputInfo.shape.length - 1] ?? 1;
  const size = outputInfo.shape.reduce((a, b) => a * b, 1);
  return { classes, rows: classes === 0 ? 0 : size / classes };
}

function crossentropy(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { target, output: prediction } = args.inputs as { target: TensorInfo; output: TensorInfo };
  const { epsilon } = args.attrs as unknown as { epsilon: number };
  const t = floatValues(backend, target);
  const p = floatValues(backend, prediction);
  if (!t || !p) throw new Error(`${CATEGORICAL_CROSSENTROPY_KERNEL} needs float32 target and output`);
  const { classes, rows } = rowsOf(CATEGORICAL_CROSSENTROPY_KERNEL, target, prediction);
  const loss = float32Pool.alloc(rows);
  crossentropyRows(t, p, loss, rows, classes, epsilon);
  return output(backend, prediction.shape.slice(0, -1), loss);
}

function crossentropyGrad(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, target, output: prediction } = args.inputs as { dy: TensorInfo; target: TensorInfo; output: TensorInfo };
  const { epsilon } = args.attrs as unknown as { epsilon: number };
  const d = floatValues(backend, dy);
  const t = floatValues(backend, target);
  const p = floatValues(backend, prediction);
  if (!d || !t || !p) throw new Error(`${CATEGORICAL_CROSSENTROPY_GRAD_KERNEL} needs float32 dy, target and output`);
  const { classes, rows } = rowsOf(CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, target, prediction);
  if (d.length !== rows) throw new Error(`${CATEGORICAL_CROSSENTROPY_GRAD_KERNEL}: dy has ${d.length} values for ${rows} rows`);
  const grad = float32Pool.alloc(rows * classes);
  crossentropyGradRows(d, t, p, grad, rows, classes, epsilon);
  return output(backend, prediction.shape.slice(), grad);
}

export const categoricalCrossentropyConfigs: KernelConfig[] = [
  { kernelName: CATEGORICAL_CROSSENTROPY_KERNEL, backendName: "cpu-blas", kernelFunc: crossentropy as unknown as KernelConfig["kernelFunc"] },
  { kernelName: CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, backendName: "cpu-blas", kernelFunc: crossentropyGrad as unknown as KernelConfig["kernelFunc"] },
];
