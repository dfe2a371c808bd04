/**
 * The fused training step of a stack of dense layers: the loss and every
 * gradient of an MLP (Flatten, then Dense layers with relu or linear
 * activations, a softmax output and tf.layers' categorical cross-entropy) in
 * one kernel. Through tf.layers' `model.fit`, tfjs runs such a step as about
 * sixty kernels, each through the engine with its tape bookkeeping: for an
 * MNIST MLP on the CPU that overhead was half the step. Backends that register
 * {@link DENSE_STACK_GRADIENTS_KERNEL} (cpu-blas, cuda) run it as one; the optimizer
 * (any tfjs optimizer), callbacks, metrics and history stay tfjs's own.
 *
 * Contract, float32 throughout (L dense layers, B rows):
 *
 *   inputs  { x [B, ...] (each row flattened), target [B, classes],
 *             kernel0 [f0, u0], bias0 [u0], kernel1 [u0, u1], bias1 [u1], ... }
 *   attrs   { layers: [{ activation, useBias }, ...], epsilon }
 *   outputs [ loss (scalar), prediction [B, classes],
 *             d kernel0, d bias0 (when useBias), d kernel1, ... ]
 *
 *   A0 = x;  A(i+1) = act_i(A(i) . kernel_i + bias_i);  prediction = A(L)
 *   act_i is "relu" or "linear" for i < L - 1, and "softmax" for the last layer
 *   loss = mean over rows of -sum_j target[r,j] * log(clip(p[r,j] / sum_k p[r,k], eps, 1 - eps))
 *   the gradients are d loss / d kernel_i and d bias_i, computed as tfjs's
 *   gradients of those ops compute them (same products, same rounding).
 */
import { describeTensor, FusedKernelInputError, requireFiniteAttr, requireFloat32, sameShape, sizeOf, type TensorDescription } from "./errors.js";

/** Kernel name of the fused dense-stack step (a tsgpu kernel, not a tfjs one). */
export const DENSE_STACK_GRADIENTS_KERNEL = "TsgpuDenseStackGradients";

/** Activations the fused step covers: hidden layers use relu or linear, the last layer softmax. */
export type DenseStackActivation = "linear" | "relu" | "softmax";

/** One dense layer of the stack, as the kernel's attrs describe it. */
export interface DenseStackLayer {
  activation: DenseStackActivation;
  useBias: boolean;
}

/** Attributes of {@link DENSE_STACK_GRADIENTS_KERNEL}. */
export interface DenseStackAttrs {
  layers: DenseStackLayer[];
  /** tf.layers' clip of the predicted probabilities (LAYERS_EPSILON). */
  epsilon: number;
}

/** Input names of layer `index`'s kernel and bias in the kernel's input map. */
export const denseStackInputNames = (index: number): { kernel: string; bias: string } => ({ kernel: `kernel${index}`, bias: `bias${index}` });

/** One layer's checked weights, as {@link validateDenseStackInputs} returns them. */
export interface DenseStackWeights<T> {
  kernel: T;
  /** Present when the layer uses a bias. */
  bias: T | undefined;
  inputSize: number;
  units: number;
}

/**
 * Checks {@link DENSE_STACK_GRADIENTS_KERNEL}'s inputs and attrs against the
 * contract: the layers chain (each kernel takes the previous layer's units),
 * x's rows have the first kernel's input size, the target is [rows, classes].
 * Returns the rows, the features of x and each layer's weights. Throws FusedKernelInputError.
 */
export function validateDenseStackInputs<T extends TensorDescription>(
  inputs: Record<string, T | undefined>,
  attrs: object | undefined,
): { rows: number; features: number; classes: number; weights: DenseStackWeights<T>[] } {
  const kernel = DENSE_STACK_GRADIENTS_KERNEL;
  const { layers } = (attrs ?? {}) as Partial<DenseStackAttrs>;
  if (!Array.isArray(layers) || layers.length === 0) throw new FusedKernelInputError(kernel, "attrs.layers", String(layers), "a non-empty list of { activation, useBias }");
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    const allowed = last ? ["softmax"] : ["relu", "linear"];
    if (!allowed.includes(layer?.activation)) throw new FusedKernelInputError(kernel, `attrs.layers[${i}].activation`, String(layer?.activation), allowed.map((a) => `"${a}"`).join(" or "));
  });
  requireFiniteAttr(kernel, attrs, "epsilon");
  const x = requireFloat32(kernel, "x", inputs.x, "float32 [batch, ...]");
  if (x.shape.length === 0) throw new FusedKernelInputError(kernel, "x", describeTensor(x), "float32 [batch, ...]");
  const rows = x.shape[0]!;
  let width = -1;
  const weights = layers.map((layer, i) => {
    const names = denseStackInputNames(i);
    const weight = inputs[names.kernel];
    const expectedKernel = width < 0 ? "float32 [in, units]" : `float32 [${width}, units] (the units of layer ${i - 1})`;
    if (weight === undefined || weight.dtype !== "float32" || weight.shape.length !== 2 || (width >= 0 && weight.shape[0] !== width)) {
      throw new FusedKernelInputError(kernel, names.kernel, describeTensor(weight), expectedKernel);
    }
    const [inputSize, units] = weight.shape as [number, number];
    const bias = layer.useBias ? inputs[names.bias] : undefined;
    if (layer.useBias && (bias === undefined || bias.dtype !== "float32" || sizeOf(bias.shape) !== units)) {
      throw new FusedKernelInputError(kernel, names.bias, describeTensor(bias), `float32 [${units}]`);
    }
    width = units;
    return { kernel: weight, bias, inputSize, units };
  });
  const features = weights[0]!.inputSize;
  if (sizeOf(x.shape) !== rows * features) throw new FusedKernelInputError(kernel, "x", describeTensor(x), `rows of ${features} values (the input size of kernel0)`);
  const classes = width;
  const target = inputs.target;
  if (target === undefined || target.dtype !== "float32" || !sameShape(target.shape, [rows, classes])) {
    throw new FusedKernelInputError(kernel, "target", describeTensor(target), `float32 [${rows},${classes}]`);
  }
  return { rows, features, classes, weights };
}
