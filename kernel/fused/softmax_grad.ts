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

/** Kernel name of the fused softmax gradient (a tsgpu kernel, not a tfjs one). */
export const SOFTMAX_GRAD_KERNEL = "TsgpuSoftmaxGrad";
