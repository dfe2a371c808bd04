import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL } from "../../fused/categorical_crossentropy.js";
import { type KernelArgs, floatValues, output } from "../kernel_support.js";
import { float32Pool } from "../buffer_pool.js";

/**
 * The fused categorical cross-entropy and its gradient
 * (kernel/tensor/fused/categorical_crossentropy.ts), one pass over each row.
 * Intermediates stay in float64; results differ from tfjs's op-by-op float32
 * rounding by an ulp or so.
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
  const high = 1 - epsilon;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += p[base + j]!;
    let total = 0;
    for (let j = 0; j < classes; j++) {
      const z = Math.fround(p[base + j]! / sum);
      const q = z < epsilon ? epsilon : z > high ? high : z; // NaN stays NaN
      // A zero target adds 0 * log(q) = 0 (q is clipped, so log(q) is finite unless q is NaN): skip the log.
      const tj = t[base + j]!;
      if (tj !== 0 || q !== q) total += tj * Math.log(q);
    }
    loss[r] = -total;
  }
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
  const high = 1 - epsilon;
  for (let r = 0; r < rows; r++) {
    const base = r * classes;
    let sum = 0;
    for (let j = 0; j < classes; j++) sum += p[base + j]!;
    // First pass: dz (kept in grad) and sum_k dz_k * p_k.
    let weighted = 0;
    for (let j = 0; j < classes; j++) {
      const z = Math.fround(p[base + j]! / sum);
      const inside = z >= epsilon && z <= high;
      const dz = inside ? (-d[r]! * t[base + j]!) / z : 0;
      grad[base + j] = dz;
      weighted += dz * p[base + j]!;
    }
    const shared = -weighted / (sum * sum);
    for (let j = 0; j < classes; j++) grad[base + j] = grad[base + j]! / sum + shared;
  }
  return output(backend, prediction.shape.slice(), grad);
}

export const categoricalCrossentropyConfigs: KernelConfig[] = [
  { kernelName: CATEGORICAL_CROSSENTROPY_KERNEL, backendName: "cpu-blas", kernelFunc: crossentropy as unknown as KernelConfig["kernelFunc"] },
  { kernelName: CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, backendName: "cpu-blas", kernelFunc: crossentropyGrad as unknown as KernelConfig["kernelFunc"] },
];
