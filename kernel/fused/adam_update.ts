/**
 * The fused Adam update: one kernel per variable instead of tfjs's fourteen
 * elementwise ops (and fourteen passes over memory, or fourteen GPU launches).
 *
 * Contract, implemented by the cpu-blas and cuda backends under the kernel
 * name {@link ADAM_UPDATE_KERNEL}; every input is float32 and of one shape:
 *
 *   inputs  { value, gradient, firstMoment, secondMoment }
 *   attrs   { learningRate, beta1, beta2, epsilon, step }   (step: 1 for the first update)
 *   outputs [ newValue, newFirstMoment, newSecondMoment ]
 *
 *   m' = beta1 * m + (1 - beta1) * g
 *   v' = beta2 * v + (1 - beta2) * g * g
 *   newValue = value - learningRate * (m' / (1 - beta1^step)) / (sqrt(v' / (1 - beta2^step)) + epsilon)
 *
 * which is tfjs 4.22's AdamOptimizer.applyGradients, term for term.
 */
import { requireFiniteAttr, requireSameFloat32Shape, type TensorDescription } from "./errors.js";

/** Kernel name of the fused Adam update (a tsgpu kernel, not a tfjs one). */
export const ADAM_UPDATE_KERNEL = "TsgpuAdamUpdate";

/** Attributes of {@link ADAM_UPDATE_KERNEL}. */
export interface AdamUpdateAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1-based count of updates, this one included (tfjs's iterations + 1). */
  step: number;
}

/** The bias corrections 1 - beta^step that divide the two moments. */
export function adamBiasCorrections(attrs: AdamUpdateAttrs): { firstMoment: number; secondMoment: number } {
  return { firstMoment: 1 - Math.pow(attrs.beta1, attrs.step), secondMoment: 1 - Math.pow(attrs.beta2, attrs.step) };
}

/** The four inputs of {@link ADAM_UPDATE_KERNEL}. */
export type AdamUpdateInputs<T> = Record<"value" | "gradient" | "firstMoment" | "secondMoment", T>;

/** Checks {@link ADAM_UPDATE_KERNEL}'s inputs and attrs against the contract; throws FusedKernelInputError. */
export function validateAdamUpdateInputs(inputs: Partial<AdamUpdateInputs<TensorDescription>>, attrs: object | undefined): AdamUpdateAttrs {
  requireSameFloat32Shape(ADAM_UPDATE_KERNEL, ["value", inputs.value], ["gradient", inputs.gradient], ["firstMoment", inputs.firstMoment], ["secondMoment", inputs.secondMoment]);
  for (const name of ["learningRate", "beta1", "beta2", "epsilon", "step"]) requireFiniteAttr(ADAM_UPDATE_KERNEL, attrs, name);
  return attrs as AdamUpdateAttrs;
}
