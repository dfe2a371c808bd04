/**
 * The fused softmax gradient: tfjs differentiates y = softmax(x) along the
 * last axis as `dy * y - sum(dy * y, -1, keepDims) * y`, four kernels (and
 * their trips through the engine) on a [batch, classes] tensor. Backends that
 * register {@link SOFTMAX_GRAD_KERNEL} (cpu-blas, cuda) do it in one; every
 * other backend keeps tfjs's formula.
 *
 * Contract: inputs { dy, y } float32 of one shape [..., n]; output, per row,
 * p = dy * y; out = p - sum(p) * y (tfjs's values, its float32 rounding of p,
 * of the sum and of the product included).
 */
import { describeTensor, FusedKernelInputError, requireFloat32, requireSameFloat32Shape, sizeOf, type TensorDescription } from "./errors.js";

/** Kernel name of the fused softmax gradient (a tsgpu kernel, not a tfjs one). */
export const SOFTMAX_GRAD_KERNEL = "TsgpuSoftmaxGrad";

/** Checks {@link SOFTMAX_GRAD_KERNEL}'s inputs against the contract; returns the rows and the row length. */
export function validateSoftmaxGradInputs(dy: TensorDescription | undefined, y: TensorDescription | undefined): { rows: number; columns: number } {
  const shape = requireFloat32(SOFTMAX_GRAD_KERNEL, "y", y, "float32 [..., n] (rank 1 or more)").shape;
  if (shape.length === 0) throw new FusedKernelInputError(SOFTMAX_GRAD_KERNEL, "y", describeTensor(y), "float32 [..., n] (rank 1 or more)");
  requireSameFloat32Shape(SOFTMAX_GRAD_KERNEL, ["y", y], ["dy", dy]);
  const columns = shape[shape.length - 1]!;
  return { rows: columns === 0 ? 0 : sizeOf(shape) / columns, columns };
}
