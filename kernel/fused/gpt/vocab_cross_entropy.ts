/**
 * Fused softmax cross-entropy over the vocabulary with integer targets
 * (reference: kernel/gpt/ops.ts `vocabCrossEntropy`): loss and gradient in one pass.
 *
 * TsgpuVocabCrossEntropy: inputs { logits [N, V] float32, targets [N] int32 }
 *   -> [ loss scalar, dlogits [N, V] ]
 *   per row: m = max, lse = m + log(sum(exp(logits - m))); loss = mean over rows of lse - logits[target];
 *   dlogits = (softmax(logits) - onehot(target)) / N   (the gradient for an upstream dy of 1;
 *   the caller scales it by dy).
 */
import { GptKernelInputError, requireFloat32, requireInt32, type ShapedInput } from "./errors.js";

export const VOCAB_CROSS_ENTROPY_KERNEL = "TsgpuVocabCrossEntropy";

/** Checks the inputs; returns [N, V]. */
export function validateVocabCrossEntropy(logits: ShapedInput, targets: ShapedInput): [number, number] {
  requireFloat32(logits, `${VOCAB_CROSS_ENTROPY_KERNEL}: logits`);
  requireInt32(targets, `${VOCAB_CROSS_ENTROPY_KERNEL}: targets`);
  if (logits.shape.length !== 2 || targets.shape.length !== 1 || targets.shape[0] !== logits.shape[0]) {
    throw new GptKernelInputError(`${VOCAB_CROSS_ENTROPY_KERNEL}: logits must be [N, V] and targets [N], got [${logits.shape}] and [${targets.shape}]`);
  }
  if (logits.shape[0] === 0 || logits.shape[1] === 0) throw new GptKernelInputError(`${VOCAB_CROSS_ENTROPY_KERNEL}: logits [${logits.shape}] is empty: the mean over no tokens is undefined`);
  return logits.shape as [number, number];
}

export function targetError(target: number, row: number, vocab: number): GptKernelInputError {
  return new GptKernelInputError(`${VOCAB_CROSS_ENTROPY_KERNEL}: targets[${row}] = ${target} is outside [0, ${vocab}): check the token ids against the model's vocabulary`);
}
