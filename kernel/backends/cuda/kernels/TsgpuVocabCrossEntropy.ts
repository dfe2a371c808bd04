import type { TensorInfo } from "@tensorflow/tfjs-core";
import { VOCAB_CROSS_ENTROPY_KERNEL, validateVocabCrossEntropy } from "../../../fused/gpt/index";
import { i64, ptr } from "../device/cuda_device";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { GPT_THREADS } from "../sources/gpt";

/**
 * The vocabulary cross-entropy (kernel/fused/gpt/vocab_cross_entropy.ts): one block per row writes the row's
 * loss and dlogits, then one block averages the row losses (no copy back to the host). Unlike cpu-blas, a target
 * outside [0, V) is not thrown: it makes its row's loss, hence the loss, NaN.
 */
export const vocabCrossEntropyConfig = cudaKernel(VOCAB_CROSS_ENTROPY_KERNEL, ({ inputs, cuda }) => {
  const { logits, targets } = inputs as Record<"logits" | "targets", TensorInfo>;
  const [rows, vocab] = validateVocabCrossEntropy(logits, targets);
  const loss = cuda.makeOutput([], "float32");
  const dlogits = cuda.makeOutput([rows, vocab], "float32");
  const rowLoss = cuda.device.allocator.allocate(rows * 4);
  cuda.device.launch("gpt", "vocab_cross_entropy_f32", Math.min(rows, 65535), GPT_THREADS, [
    ptr(cuda.pointer(dlogits)), ptr(rowLoss.pointer), ptr(cuda.pointer(logits)), ptr(cuda.pointer(targets)), i64(rows), i64(vocab),
  ]);
  cuda.device.launch("gpt", "mean_f32", 1, GPT_THREADS, [ptr(cuda.pointer(loss)), ptr(rowLoss.pointer), i64(rows)]);
  // Released at once: everything runs in order on the one stream.
  cuda.device.allocator.release(rowLoss);
  return [loss, dlogits];
});
