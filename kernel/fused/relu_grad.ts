/**
 * The fused ReLU gradient: tfjs differentiates relu(x) as
 * `mul(dy, cast(step(x), "float32"))`, two kernels and two passes over
 * tensors that in a CNN hold millions of elements. Backends that register
 * {@link RELU_GRAD_KERNEL} (cpu-blas, cuda) do it in one pass; every other backend
 * keeps tfjs's own formula (the routing: hooks/relu_grad.ts).
 *
 * Contract: inputs { dy, x } of one shape, float32; output dy where x > 0,
 * NaN where x is NaN, else dy * 0 (tfjs's values, signed zeros and NaN
 * propagation included).
 */
import { requireSameFloat32Shape, type TensorDescription } from "./errors.js";

/** Kernel name of the fused ReLU gradient (a tsgpu kernel, not a tfjs one). */
export const RELU_GRAD_KERNEL = "TsgpuReluGrad";

/** Checks {@link RELU_GRAD_KERNEL}'s inputs against the contract; throws FusedKernelInputError. */
export function validateReluGradInputs(dy: TensorDescription | undefined, x: TensorDescription | undefined): void {
  requireSameFloat32Shape(RELU_GRAD_KERNEL, ["x", x], ["dy", dy]);
}
