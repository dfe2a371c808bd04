import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { targetError, VOCAB_CROSS_ENTROPY_KERNEL, validateVocabCrossEntropy } from "../../../fused/gpt/index.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { vocabCrossEntropyLoss } from "../kernel_utils/gpt_math.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";

/** Vocabulary cross-entropy (kernel/fused/gpt/vocab_cross_entropy.ts): loss and dlogits in one pass over the logits. */
function vocabCrossEntropy(args: KernelArgs): TensorInfo[] {
  const { backend } = args;
  const { logits, targets } = args.inputs as Record<"logits" | "targets", TensorInfo>;
  const [rows, vocab] = validateVocabCrossEntropy(logits, targets);
  const lv = floatValues(backend, logits)!;
  const tv = backend.data.get(targets.dataId).values as Int32Array;
  for (let r = 0; r < rows; r++) if (!(tv[r]! >= 0 && tv[r]! < vocab)) throw targetError(tv[r]!, r, vocab);
  const dlogits = float32Pool.alloc(lv.length);
  const loss = vocabCrossEntropyLoss(lv, tv, vocab, dlogits);
  return [output(backend, [], new Float32Array([loss])), output(backend, [rows, vocab], dlogits)];
}

export const vocabCrossEntropyConfig: KernelConfig = {
  kernelName: VOCAB_CROSS_ENTROPY_KERNEL,
  backendName: "cpu-blas",
  kernelFunc: vocabCrossEntropy as unknown as KernelConfig["kernelFunc"],
};
