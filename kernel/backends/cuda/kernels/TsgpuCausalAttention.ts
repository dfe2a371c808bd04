import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { CAUSAL_ATTENTION_GRAD_KERNEL, CAUSAL_ATTENTION_KERNEL, type CausalAttentionAttrs, validateCausalAttention } from "../../../fused/gpt/index";
import { f32, i64, ptr } from "../device/cuda_device";
import { AttentionViews, rowMajorHeadsGemm } from "../kernel_utils/attention";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { GPT_THREADS } from "../sources/gpt";

/**
 * Causal attention (kernel/fused/gpt/causal_attention.ts): per batch element, q k^T over all heads as one
 * strided-batched GEMM into probs, one masked softmax launch over every row, then probs v into the merged output.
 */
export const causalAttentionConfigs: KernelConfig[] = [
  cudaKernel(CAUSAL_ATTENTION_KERNEL, ({ inputs, cuda, attrs }) => {
    const { qkv } = inputs as { qkv: TensorInfo };
    const { heads } = attrs as unknown as CausalAttentionAttrs;
    const [batch, time, channels, headSize] = validateCausalAttention(qkv, heads);
    const output = cuda.makeOutput([batch, time, channels], "float32");
    const probs = cuda.makeOutput([batch, heads, time, time], "float32");
    const rows = batch * heads * time;
    if (rows === 0) return [output, probs];
    const views = new AttentionViews(batch, time, channels, heads);
    const [qkvBase, probsBase, outBase] = [cuda.pointer(qkv), cuda.pointer(probs), cuda.pointer(output)];
    if (headSize === 0) {
      cuda.device.fill32(probsBase, 0, rows * time); // q k^T over an empty head: all scores 0
    } else {
      for (let b = 0; b < batch; b++) {
        rowMajorHeadsGemm(cuda, heads, time, time, headSize, views.qkvPart(qkvBase, b, 0), false, views.qkvPart(qkvBase, b, 1), true, views.square(probsBase, b));
      }
    }
    cuda.device.launch("gpt", "causal_softmax_f32", Math.min(rows, 65535), GPT_THREADS, [ptr(probsBase), i64(rows), i64(time), f32(headSize === 0 ? 1 : 1 / Math.sqrt(headSize))]);
    if (headSize > 0) {
      for (let b = 0; b < batch; b++) {
        rowMajorHeadsGemm(cuda, heads, time, headSize, time, views.square(probsBase, b), false, views.qkvPart(qkvBase, b, 2), false, views.merged(outBase, b));
      }
    }
    return [output, probs];
  }),
  cudaKernel(CAUSAL_ATTENTION_GRAD_KERNEL, ({ inputs, cuda, attrs }) => {
    const { dy, qkv, probs } = inputs as Record<"dy" | "qkv" | "probs", TensorInfo>;
    const { heads } = attrs as unknown as CausalAttentionAttrs;
    const [batch, time, channels, headSize] = validateCausalAttention(qkv, heads);
    const dqkv = cuda.makeOutput(qkv.shape.slice(), "float32");
    const rows = batch * heads * time;
    if (rows === 0 || headSize === 0) return dqkv;
    const views = new AttentionViews(batch, time, channels, heads);
    const [qkvBase, probsBase, dyBase, dqkvBase] = [cuda.pointer(qkv), cuda.pointer(probs), cuda.pointer(dy), cuda.pointer(dqkv)];
    const dscores = cuda.device.allocator.allocate(rows * time * 4);
    for (let b = 0; b < batch; b++) {
      // dv = probs^T dy, dprobs = dy v^T
      rowMajorHeadsGemm(cuda, heads, time, headSize, time, views.square(probsBase, b), true, views.merged(dyBase, b), false, views.qkvPart(dqkvBase, b, 2));
      rowMajorHeadsGemm(cuda, heads, time, time, headSize, views.merged(dyBase, b), false, views.qkvPart(qkvBase, b, 2), true, views.square(dscores.pointer, b));
    }
    cuda.device.launch("gpt", "causal_softmax_grad_f32", Math.min(rows, 65535), GPT_THREADS, [ptr(dscores.pointer), ptr(probsBase), i64(rows), i64(time), f32(1 / Math.sqrt(headSize))]);
    for (let b = 0; b < batch; b++) {
      // dq = dscores k, dk = dscores^T q
      rowMajorHeadsGemm(cuda, heads, time, headSize, time, views.square(dscores.pointer, b), false, views.qkvPart(qkvBase, b, 1), false, views.qkvPart(dqkvBase, b, 0));
      rowMajorHeadsGemm(cuda, heads, time, headSize, time, views.square(dscores.pointer, b), true, views.qkvPart(qkvBase, b, 0), false, views.qkvPart(dqkvBase, b, 1));
    }
    // Released at once: everything runs in order on the one stream.
    cuda.device.allocator.release(dscores);
    return dqkv;
  }),
];
