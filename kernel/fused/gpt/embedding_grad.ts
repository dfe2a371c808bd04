/**
 * Fused embedding gradient: a scatter-add (reference: the gradient of kernel/gpt/ops.ts
 * `embeddingLookup`, which computes it as onehot(ids)^T @ dy).
 *
 * TsgpuEmbeddingGrad: inputs { dy [N, C] float32, ids [N] int32 }, attrs { vocab }
 *   -> dtable [vocab, C]: zeros, then dtable[ids[i]] += dy[i] for i in order.
 */
import { GptKernelInputError, requireFloat32, requireInt32, type ShapedInput } from "./errors.js";

export const EMBEDDING_GRAD_KERNEL = "TsgpuEmbeddingGrad";

export interface EmbeddingGradAttrs {
  vocab: number;
}

/** Checks the inputs (ids' range is checked by the kernel, which reads them). */
export function validateEmbeddingGrad(dy: ShapedInput, ids: ShapedInput, vocab: number): void {
  requireFloat32(dy, `${EMBEDDING_GRAD_KERNEL}: dy`);
  requireInt32(ids, `${EMBEDDING_GRAD_KERNEL}: ids`);
  if (dy.shape.length !== 2 || ids.shape.length !== 1 || ids.shape[0] !== dy.shape[0]) {
    throw new GptKernelInputError(`${EMBEDDING_GRAD_KERNEL}: dy must be [N, C] and ids [N], got [${dy.shape}] and [${ids.shape}]: flatten the leading axes first`);
  }
  if (!Number.isInteger(vocab) || vocab < 1) throw new GptKernelInputError(`${EMBEDDING_GRAD_KERNEL}: vocab must be a positive integer, got ${vocab}`);
}

/** The error for an id outside [0, vocab). */
export function embeddingIdError(id: number, index: number, vocab: number): GptKernelInputError {
  return new GptKernelInputError(`${EMBEDDING_GRAD_KERNEL}: ids[${index}] = ${id} is outside [0, ${vocab}): check the tokenizer's vocabulary against the model's`);
}
