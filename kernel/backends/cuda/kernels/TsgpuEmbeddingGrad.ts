import type { TensorInfo } from "@tensorflow/tfjs-core";
import { EMBEDDING_GRAD_KERNEL, type EmbeddingGradAttrs, validateEmbeddingGrad } from "../../../fused/gpt/index";
import { i64, ptr } from "../device/cuda_device";
import { cudaKernel } from "../kernel_utils/kernel_config";

/**
 * The embedding gradient (kernel/fused/gpt/embedding_grad.ts): zeros, then one atomic add per element of dy.
 * Unlike cpu-blas, an id outside [0, vocab) is skipped, not reported: seeing it would need a copy back to the host.
 * Atomics add the rows of a repeated id in any order (fp32 sums may differ by an ulp from run to run).
 */
export const embeddingGradConfig = cudaKernel(EMBEDDING_GRAD_KERNEL, ({ inputs, cuda, attrs }) => {
  const { dy, ids } = inputs as Record<"dy" | "ids", TensorInfo>;
  const { vocab } = attrs as unknown as EmbeddingGradAttrs;
  validateEmbeddingGrad(dy, ids, vocab);
  const [rows, channels] = dy.shape as [number, number];
  const dtable = cuda.makeOutput([vocab, channels], "float32");
  cuda.device.fill32(cuda.pointer(dtable), 0, vocab * channels);
  const n = rows * channels;
  if (n > 0) {
    cuda.device.launch("gpt", "embedding_scatter_add_f32", cuda.device.gridFor(n), 256, [
      ptr(cuda.pointer(dtable)), ptr(cuda.pointer(dy)), ptr(cuda.pointer(ids)), i64(n), i64(channels), i64(vocab),
    ]);
  }
  return dtable;
});
