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
