/**
 * Inputs outside the fused kernels' contracts, one case per rule: every
 * backend that registers the kernel must reject each with the same
 * FusedKernelInputError (tests/unit/fused/validation.test.ts on cpu-blas,
 * tests/unit/cuda/emulated_backend.test.ts on cuda against cpu-blas).
 */
import * as tf from "@tensorflow/tfjs";
import {
  ADAM_UPDATE_KERNEL,
  CATEGORICAL_CROSSENTROPY_GRAD_KERNEL,
  CATEGORICAL_CROSSENTROPY_KERNEL,
  DENSE_STACK_GRADIENTS_KERNEL,
  RELU_GRAD_KERNEL,
  SOFTMAX_GRAD_KERNEL,
} from "../../../kernel/fused/index.js";

export interface BadInputCase {
  kernel: string;
  label: string;
  /** The input or attribute the error must name. */
  input: string;
  /** Made on the backend under test. */
  inputs: () => Record<string, tf.Tensor>;
  attrs?: Record<string, unknown>;
}

const f32 = (shape: number[]): tf.Tensor => tf.ones(shape, "float32");
const i32 = (shape: number[]): tf.Tensor => tf.ones(shape, "int32");
const adamAttrs = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7, step: 1 };
const stackAttrs = { layers: [{ activation: "relu", useBias: true }, { activation: "softmax", useBias: false }], epsilon: 1e-7 };
const stackInputs = (): Record<string, tf.Tensor> => ({ x: f32([4, 6]), target: f32([4, 3]), kernel0: f32([6, 5]), bias0: f32([5]), kernel1: f32([5, 3]) });

export const BAD_INPUT_CASES: BadInputCase[] = [
  { kernel: RELU_GRAD_KERNEL, label: "shapes differ (same size)", input: "dy", inputs: () => ({ dy: f32([2, 3]), x: f32([3, 2]) }) },
  { kernel: RELU_GRAD_KERNEL, label: "int32 x", input: "x", inputs: () => ({ dy: f32([4]), x: i32([4]) }) },
  { kernel: SOFTMAX_GRAD_KERNEL, label: "scalar y", input: "y", inputs: () => ({ dy: f32([]), y: f32([]) }) },
  { kernel: SOFTMAX_GRAD_KERNEL, label: "shapes differ", input: "dy", inputs: () => ({ dy: f32([2, 4]), y: f32([2, 3]) }) },
  { kernel: ADAM_UPDATE_KERNEL, label: "int32 gradient", input: "gradient", attrs: adamAttrs, inputs: () => ({ value: f32([3]), gradient: i32([3]), firstMoment: f32([3]), secondMoment: f32([3]) }) },
  { kernel: ADAM_UPDATE_KERNEL, label: "moment of another shape", input: "secondMoment", attrs: adamAttrs, inputs: () => ({ value: f32([2, 3]), gradient: f32([2, 3]), firstMoment: f32([2, 3]), secondMoment: f32([3, 2]) }) },
  { kernel: ADAM_UPDATE_KERNEL, label: "missing step", input: "attrs.step", attrs: { ...adamAttrs, step: undefined }, inputs: () => ({ value: f32([3]), gradient: f32([3]), firstMoment: f32([3]), secondMoment: f32([3]) }) },
  { kernel: CATEGORICAL_CROSSENTROPY_KERNEL, label: "target of another shape", input: "target", attrs: { epsilon: 1e-7 }, inputs: () => ({ target: f32([2, 4]), output: f32([2, 3]) }) },
  { kernel: CATEGORICAL_CROSSENTROPY_KERNEL, label: "scalar output", input: "output", attrs: { epsilon: 1e-7 }, inputs: () => ({ target: f32([]), output: f32([]) }) },
  { kernel: CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, label: "dy not one value per row", input: "dy", attrs: { epsilon: 1e-7 }, inputs: () => ({ dy: f32([3]), target: f32([2, 3]), output: f32([2, 3]) }) },
  { kernel: CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, label: "no epsilon", input: "attrs.epsilon", attrs: {}, inputs: () => ({ dy: f32([2]), target: f32([2, 3]), output: f32([2, 3]) }) },
  { kernel: DENSE_STACK_GRADIENTS_KERNEL, label: "a kernel that does not chain", input: "kernel1", attrs: stackAttrs, inputs: () => ({ ...stackInputs(), kernel1: f32([4, 3]) }) },
  { kernel: DENSE_STACK_GRADIENTS_KERNEL, label: "a bias of the wrong size", input: "bias0", attrs: stackAttrs, inputs: () => ({ ...stackInputs(), bias0: f32([6]) }) },
  { kernel: DENSE_STACK_GRADIENTS_KERNEL, label: "x rows of the wrong width", input: "x", attrs: stackAttrs, inputs: () => ({ ...stackInputs(), x: f32([4, 7]) }) },
  { kernel: DENSE_STACK_GRADIENTS_KERNEL, label: "a target of the wrong shape", input: "target", attrs: stackAttrs, inputs: () => ({ ...stackInputs(), target: f32([4, 2]) }) },
  { kernel: DENSE_STACK_GRADIENTS_KERNEL, label: "a softmax hidden layer", input: "attrs.layers[0].activation", attrs: { ...stackAttrs, layers: [{ activation: "softmax", useBias: true }, { activation: "softmax", useBias: false }] }, inputs: stackInputs },
];

/** Runs the case on the active backend and returns what it threw (or undefined). */
export function thrownBy(c: BadInputCase): unknown {
  try {
    tf.tidy(() => {
      tf.engine().runKernel(c.kernel, c.inputs() as unknown as tf.NamedTensorMap, (c.attrs ?? {}) as tf.NamedAttrMap);
    });
  } catch (error) {
    return error;
  }
  return undefined;
}
