import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { DENSE_STACK_GRADIENTS_KERNEL, type DenseStackAttrs, validateDenseStackInputs } from "../../../fused/dense_stack.js";
import { batchMatMul } from "../kernel_utils/batch_matmul.js";
import { requireBlas } from "../ffi/blas_library.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";
import { LOOPS } from "../kernel_utils/loops.js";
import { runRange } from "../kernel_utils/parallel/thread_pool.js";
import { runLoop } from "../kernel_utils/simd.js";
import { crossentropyGradRows, crossentropyRows, softmaxGradRows, softmaxRows } from "../kernel_utils/softmax_crossentropy.js";

/**
 * The fused dense-stack step (kernel/fused/dense_stack.ts) on raw
 * arrays: per layer one sgemm, the bias row loop and relu in place; softmax,
 * the cross-entropy and their gradients as row loops; per layer backwards
 * two sgemms (weights, and the layer's input unless it is x), the bias column
 * sum and the ReLU gradient in place. These are the GEMMs (same operands,
 * transposes and order) and loops that tfjs's sixty-odd kernels run on
 * cpu-blas, so the results are the same bits, without the engine in between.
 * Scratch arrays (hidden activations, backward deltas) go back to the pool.
 */

function denseStackGradients(args: KernelArgs): TensorInfo[] {
  const { backend } = args;
  const inputs = args.inputs as Record<string, TensorInfo | undefined>;
  const { layers, epsilon } = args.attrs as unknown as DenseStackAttrs;
  const checked = validateDenseStackInputs(inputs, args.attrs);
  const { rows, classes } = checked;
  const x = floatValues(backend, inputs.x!)!;
  const target = floatValues(backend, inputs.target!)!;
  const sgemm = requireBlas().sgemm;

  // Forward: activations[i] is layer i's input; the last entry is the prediction.
  const weights = checked.weights.map(({ kernel, bias, inputSize, units }) => ({
    kernel: floatValues(backend, kernel)!,
    bias: bias && floatValues(backend, bias)!,
    inputSize,
    units,
  }));
  const activations: Float32Array[] = [x];
  layers.forEach((layer, i) => {
    const { kernel, bias, inputSize, units } = weights[i]!;
    const z = batchMatMul(sgemm, [rows, inputSize], activations[i]!, [inputSize, units], kernel, false, false).values;
    if (bias && z.length > 0) runLoop("Add.rowB", [z, bias, z], [], rows, units);
    if (layer.activation === "relu" && z.length > 0) runLoop("Relu", [z, z], [], z.length);
    else if (layer.activation === "softmax") softmaxRows(z, z, units);
    activations.push(z);
  });
  const prediction = activations[layers.length]!;

  // The loss: tfjs-layers' mean over rows, sum(loss / rows) as tfjs's Mean kernel rounds it.
  const rowLoss = new Float32Array(rows);
  crossentropyRows(target, prediction, rowLoss, rows, classes, epsilon);
  let lossSum = 0;
  for (let r = 0; r < rows; r++) lossSum += Math.fround(rowLoss[r]! / rows);

  // Backward: the mean's gradient (1 / rows per row), the loss's, the softmax's, then each layer.
  const gradients: { shape: number[]; values: Float32Array }[] = [];
  let delta = float32Pool.alloc(rows * classes);
  crossentropyGradRows(new Float32Array(rows).fill(1 / rows), target, prediction, delta, rows, classes, epsilon);
  softmaxGradRows(delta, prediction, delta, classes);
  for (let i = layers.length - 1; i >= 0; i--) {
    const { kernel, bias, inputSize, units } = weights[i]!;
    const input = activations[i]!;
    const kernelGradient = batchMatMul(sgemm, [rows, inputSize], input, [rows, units], delta, true, false).values;
    const layerGradients = [{ shape: [inputSize, units], values: kernelGradient }];
    if (bias) {
      const biasGradient = float32Pool.alloc(units);
      runRange(LOOPS.SumLeading!, [delta, biasGradient], [rows], units, rows);
      layerGradients.push({ shape: [units], values: biasGradient });
    }
    gradients.unshift(...layerGradients);
    if (i > 0) {
      const inputDelta = batchMatMul(sgemm, [rows, units], delta, [inputSize, units], kernel, false, true).values;
      // relu's gradient from its output: relu(z) > 0 exactly where z > 0, and NaN where z is NaN.
      if (layers[i - 1]!.activation === "relu" && inputDelta.length > 0) runLoop("ReluGrad", [inputDelta, input, inputDelta], [], inputDelta.length);
      float32Pool.recycle(delta);
      delta = inputDelta;
    }
  }
  float32Pool.recycle(delta);
  for (const hidden of activations.slice(1, -1)) float32Pool.recycle(hidden);

  return [
    output(backend, [], new Float32Array([lossSum])),
    output(backend, [rows, classes], prediction),
    ...gradients.map(({ shape, values }) => output(backend, shape, values)),
  ];
}

export const denseStackGradientsConfig: KernelConfig = {
  kernelName: DENSE_STACK_GRADIENTS_KERNEL,
  backendName: "cpu-blas",
  kernelFunc: denseStackGradients as unknown as KernelConfig["kernelFunc"],
};
