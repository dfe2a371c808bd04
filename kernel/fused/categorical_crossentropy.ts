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
import { describeTensor, FusedKernelInputError, requireFiniteAttr, requireFloat32, requireSameFloat32Shape, sizeOf, type TensorDescription } from "./errors.js";
/** Kernel names (tsgpu kernels, not tfjs ones). */
export const CATEGORICAL_CROSSENTROPY_KERNEL = "TsgpuCategoricalCrossentropy";
export const CATEGORICAL_CROSSENTROPY_GRAD_KERNEL = "TsgpuCategoricalCrossentropyGrad";

/** tfjs-layers' default fuzz factor (backend/common.ts epsilon()). */
export const LAYERS_EPSILON = 1e-7;

/**
 * Checks the inputs and attrs of {@link CATEGORICAL_CROSSENTROPY_KERNEL} (no `dy`)
 * or {@link CATEGORICAL_CROSSENTROPY_GRAD_KERNEL} (with `dy`) against the
 * contract; returns the rows and classes. Throws FusedKernelInputError.
 */
export function validateCategoricalCrossentropyInputs(
  kernel: typeof CATEGORICAL_CROSSENTROPY_KERNEL | typeof CATEGORICAL_CROSSENTROPY_GRAD_KERNEL,
  inputs: { dy?: TensorDescription; target?: TensorDescription; output?: TensorDescription },
  attrs: object | undefined,
): { rows: number; classes: number } {
  const shape = requireFloat32(kernel, "output", inputs.output, "float32 [..., classes] (rank 1 or more)").shape;
  if (shape.length === 0) throw new FusedKernelInputError(kernel, "output", describeTensor(inputs.output), "float32 [..., classes] (rank 1 or more)");
  requireSameFloat32Shape(kernel, ["output", inputs.output], ["target", inputs.target]);
  requireFiniteAttr(kernel, attrs, "epsilon");
  const classes = shape[shape.length - 1]!;
  const rows = classes === 0 ? 0 : sizeOf(shape) / classes;
  if (kernel === CATEGORICAL_CROSSENTROPY_GRAD_KERNEL) {
    const dy = inputs.dy;
    if (dy === undefined || dy.dtype !== "float32" || sizeOf(dy.shape) !== rows) {
      throw new FusedKernelInputError(kernel, "dy", describeTensor(dy), `float32 with one value per row of output (${rows})`);
    }
  }
  return { rows, classes };
}
