/** The error every GPT fused-kernel validation throws (kernel/fused/gpt/). */
export class GptKernelInputError extends Error {
  override name = "GptKernelInputError";
}

/** The shape, dtype and rank facts a validation needs, from a tensor or a TensorInfo. */
export interface ShapedInput {
  shape: readonly number[];
  dtype: string;
}

/** Throws unless `t` is float32; `what` names the kernel and input. */
export function requireFloat32(t: ShapedInput, what: string): void {
  if (t.dtype !== "float32") throw new GptKernelInputError(`${what} must be float32, got ${t.dtype}: cast it with tf.cast(x, "float32")`);
}

/** Throws unless `t` is int32. */
export function requireInt32(t: ShapedInput, what: string): void {
  if (t.dtype !== "int32") throw new GptKernelInputError(`${what} must be int32 token ids, got ${t.dtype}: make it with tf.tensor(ids, shape, "int32")`);
}

export function sizeOfShape(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}
