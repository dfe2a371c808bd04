/**
 * The fused categorical cross-entropy of tf.layers models compiled with
 * `loss: "categoricalCrossentropy"`. tfjs-layers computes it as eight ops
 * (sum, divide, clip, cast, log, multiply, sum, negate) and differentiates it
 * as about forty more, all on a [batch, classes] tensor: in an MNIST MLP step
 * that was a fifth of the time on cpu-blas, and on a GPU forty-odd launches.
 * Backends that register both kernels below do it in one kernel each way.
 *
 * Contract (float32 inputs of one shape [..., classes]; rows are the leading
 * dimensions; eps is tfjs-layers' epsilon, 1e-7):
 *
 *   CATEGORICAL_CROSSENTROPY_KERNEL       inputs { target, output }, attrs { epsilon }
 *     loss[r] = -sum_j target[r,j] * log(q[r,j]),  q = clip(output / sum_k output[r,k], eps, 1 - eps)
 *
 *   CATEGORICAL_CROSSENTROPY_GRAD_KERNEL  inputs { dy (one per row), target, output }, attrs { epsilon }
 *     dz[r,j] = -dy[r] * target[r,j] / q[r,j]  where eps <= z[r,j] <= 1 - eps (z = output / sum), else 0
 *     d output[r,j] = dz[r,j] / s[r] - sum_k dz[r,k] * output[r,k] / s[r]^2   (s = sum_k output[r,k])
 *
 * which is what tfjs's gradients of those eight ops compute, term for term.
 * The routing of `compile` to it: hooks/categorical_crossentropy.ts.
 */
/** Kernel names (tsgpu kernels, not tfjs ones). */
export const CATEGORICAL_CROSSENTROPY_KERNEL = "TsgpuCategoricalCrossentropy";
export const CATEGORICAL_CROSSENTROPY_GRAD_KERNEL = "TsgpuCategoricalCrossentropyGrad";

/** tfjs-layers' default fuzz factor (backend/common.ts epsilon()). */
export const LAYERS_EPSILON = 1e-7;
