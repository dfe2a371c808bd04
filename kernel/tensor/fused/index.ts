/**
 * tsgpu's fused kernels: tfjs computations that tfjs runs as chains of small
 * kernels (Adam's update, the ReLU gradient, the
 * categorical cross-entropy of tf.layers models), routed through one kernel on the
 * backends that register it. Each file holds one kernel's contract (name,
 * inputs, formula) and its installer; backends implement the contract.
 */
import { installFusedAdam } from "./install_fused_adam.js";
import { installFusedCategoricalCrossentropy } from "./categorical_crossentropy.js";
import { installFusedReluGradient } from "./relu_grad.js";

export { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs, adamBiasCorrections } from "./adam_update.js";
export { RELU_GRAD_KERNEL } from "./relu_grad.js";
export { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL, LAYERS_EPSILON } from "./categorical_crossentropy.js";

/** Installs every fused routing (idempotent); backends call this when they register. */
export function installFusedOps(): void {
  installFusedAdam();
  installFusedReluGradient();
  installFusedCategoricalCrossentropy();
}
