import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL, validateCategoricalCrossentropyInputs } from "../../../fused/categorical_crossentropy.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { crossentropyGradRows, crossentropyRows } from "../kernel_utils/softmax_crossentropy.js";

/**
 * The fused categorical cross-entropy and its gradient
 * (kernel/fused/categorical_crossentropy.ts), one pass over each row
 * (softmax_crossentropy.ts).
 */
function crossentropy(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { target, output: prediction } = args.inputs as { target: TensorInfo; output: TensorInfo };
  const { epsilon } = args.attrs as unknown as { epsilon: number };
  const { classes, rows } = validateCategoricalCrossentropyInputs(CATEGORICAL_CROSSENTROPY_KERNEL, args.inputs, args.attrs);
  const t = floatValues(backend, target)!;
  const p = floatValues(backend, prediction)!;
  const loss = float32Pool.alloc(rows);
  crossentropyRows(t, p, loss, rows, classes, epsilon);
  return output(backend, prediction.shape.slice(0, -1), loss);
}

function crossentropyGrad(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, target, output: prediction } = args.inputs as { dy: TensorInfo; target: TensorInfo; output: TensorInfo };
  const { epsilon } = args.attrs as unknown as { epsilon: number };
  const { classes, rows } = validateCategoricalCrossentropyInputs(CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, args.inputs, args.attrs);
  const d = floatValues(backend, dy)!;
  const t = floatValues(backend, target)!;
  const p = floatValues(backend, prediction)!;
  const grad = float32Pool.alloc(rows * classes);
  crossentropyGradRows(d, t, p, grad, rows, classes, epsilon);
  return output(backend, prediction.shape.slice(), grad);
}

export const categoricalCrossentropyConfigs: KernelConfig[] = [
  { kernelName: CATEGORICAL_CROSSENTROPY_KERNEL, backendName: "cpu-blas", kernelFunc: crossentropy as unknown as KernelConfig["kernelFunc"] },
  { kernelName: CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, backendName: "cpu-blas", kernelFunc: crossentropyGrad as unknown as KernelConfig["kernelFunc"] },
];
