import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { EMBEDDING_GRAD_KERNEL, type EmbeddingGradAttrs, embeddingIdError, validateEmbeddingGrad } from "../../../fused/gpt/index.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { embeddingScatterAdd } from "../kernel_utils/gpt_math.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";

/** The embedding gradient as a scatter-add (kernel/fused/gpt/embedding_grad.ts): N row additions into zeros. */
function embeddingGrad(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { dy, ids } = args.inputs as Record<"dy" | "ids", TensorInfo>;
  const { vocab } = args.attrs as unknown as EmbeddingGradAttrs;
  validateEmbeddingGrad(dy, ids, vocab);
  const channels = dy.shape[1]!;
  const idValues = backend.data.get(ids.dataId).values as Int32Array;
  const dtable = float32Pool.allocZeroed(vocab * channels);
  const bad = embeddingScatterAdd(floatValues(backend, dy)!, idValues, channels, vocab, dtable);
  if (bad >= 0) throw embeddingIdError(idValues[bad]!, bad, vocab);
  return output(backend, [vocab, channels], dtable);
}

export const embeddingGradConfig: KernelConfig = {
  kernelName: EMBEDDING_GRAD_KERNEL,
  backendName: "cpu-blas",
  kernelFunc: embeddingGrad as unknown as KernelConfig["kernelFunc"],
};
