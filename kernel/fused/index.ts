/**
 * tsgpu's fused kernels: tfjs computations that tfjs runs as chains of small
 * kernels (Adam's update, the ReLU and softmax gradients, the categorical
 * cross-entropy of tf.layers models, and the whole loss and gradient
 * computation of a stack of dense layers), routed through one kernel on the
 * backends that register it. Each file holds one kernel's contract (name,
 * inputs, formula) and the one function that checks its inputs, which every
 * backend calls (one error type: errors.ts). The interceptions of tfjs that
 * route work to these kernels are all in hooks/ (installed once by the tensor
 * registry).
 */
import { ADAM_UPDATE_KERNEL } from "./adam_update.js";
import { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL } from "./categorical_crossentropy.js";
import { DENSE_STACK_GRADIENTS_KERNEL } from "./dense_stack.js";
import { RELU_GRAD_KERNEL } from "./relu_grad.js";
import { SOFTMAX_GRAD_KERNEL } from "./softmax_grad.js";

export { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs, type AdamUpdateInputs, adamBiasCorrections, validateAdamUpdateInputs } from "./adam_update.js";
export { FusedKernelInputError } from "./errors.js";
export { RELU_GRAD_KERNEL, validateReluGradInputs } from "./relu_grad.js";
export { DENSE_STACK_GRADIENTS_KERNEL, type DenseStackAttrs, type DenseStackLayer, denseStackInputNames, validateDenseStackInputs } from "./dense_stack.js";
export { installTfjsHooks, planDenseStack, setFusedDenseStack, tfjsHooksStatus, type TfjsHooksStatus } from "./hooks/index.js";
export { SOFTMAX_GRAD_KERNEL, validateSoftmaxGradInputs } from "./softmax_grad.js";
export { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL, LAYERS_EPSILON, validateCategoricalCrossentropyInputs } from "./categorical_crossentropy.js";
export * as gptKernels from "./gpt/index.js";

/** Names of every tsgpu fused kernel (a backend that implements them all registers each of these). */
export const FUSED_KERNEL_NAMES: readonly string[] = [
  ADAM_UPDATE_KERNEL,
  RELU_GRAD_KERNEL,
  SOFTMAX_GRAD_KERNEL,
  CATEGORICAL_CROSSENTROPY_KERNEL,
  CATEGORICAL_CROSSENTROPY_GRAD_KERNEL,
  DENSE_STACK_GRADIENTS_KERNEL,
];
