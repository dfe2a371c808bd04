/**
 * The one error every backend throws when a fused kernel is called with inputs
 * or attributes outside its contract. The validation functions next to each
 * contract (`validate...` in adam_update.ts, relu_grad.ts, ...) throw it, so
 * cpu-blas and cuda reject the same input with the same message.
 */

/** What the validation functions need of a tensor (tfjs's TensorInfo has both). */
export interface TensorDescription {
  readonly shape: readonly number[];
  readonly dtype: string;
}

/** A fused kernel's input or attribute does not fit the kernel's contract. */
export class FusedKernelInputError extends Error {
  /**
   * @param kernel the fused kernel's name (e.g. "TsgpuReluGrad")
   * @param input the input or attribute at fault (e.g. "dy", "attrs.layers[1]")
   * @param got what it was (dtype and shape, or the value)
   * @param expected what the contract asks for
   */
  constructor(
    readonly kernel: string,
    readonly input: string,
    readonly got: string,
    readonly expected: string,
  ) {
    super(`${kernel}: ${input} is ${got}, expected ${expected}`);
    this.name = "FusedKernelInputError";
  }
}

/** "float32 [2,3]": a tensor as the error messages name it. */
export function describeTensor(tensor: TensorDescription | undefined): string {
  return tensor === undefined ? "missing" : `${tensor.dtype} [${tensor.shape.join(",")}]`;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** True when both shapes are the same. */
export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Returns `tensor` when it is present and float32; throws otherwise. */
export function requireFloat32(kernel: string, input: string, tensor: TensorDescription | undefined, expected = "a float32 tensor"): TensorDescription {
  if (tensor === undefined || tensor.dtype !== "float32") throw new FusedKernelInputError(kernel, input, describeTensor(tensor), expected);
  return tensor;
}

/** Checks that each tensor of `others` is float32 with `reference`'s shape (the reference is checked too). */
export function requireSameFloat32Shape(kernel: string, reference: [string, TensorDescription | undefined], ...others: [string, TensorDescription | undefined][]): readonly number[] {
  const [referenceName, referenceTensor] = reference;
  const shape = requireFloat32(kernel, referenceName, referenceTensor).shape;
  for (const [name, tensor] of others) {
    if (tensor === undefined || tensor.dtype !== "float32" || !sameShape(tensor.shape, shape)) {
      throw new FusedKernelInputError(kernel, name, describeTensor(tensor), `float32 [${shape.join(",")}] (the shape of ${referenceName})`);
    }
  }
  return shape;
}

/** Checks that `attrs[name]` is a finite number. */
export function requireFiniteAttr(kernel: string, attrs: object | undefined, name: string): number {
  const value = (attrs as Record<string, unknown> | undefined)?.[name];
  if (typeof value !== "number" || !Number.isFinite(value)) throw new FusedKernelInputError(kernel, `attrs.${name}`, String(value), "a finite number");
  return value;
}
