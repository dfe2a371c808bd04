import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import {
  attentionDropout, CAUSAL_ATTENTION_GRAD_KERNEL, CAUSAL_ATTENTION_KERNEL, type CausalAttentionAttrs, dropoutKey, dropoutThreshold, validateCausalAttention,
} from "../../../fused/gpt/index";
import type { CudaBackend } from "../backend_cuda";
import { f32, i64, ptr } from "../device/cuda_device";
import type { DevicePointer } from "../ffi/driver_api";
import { AttentionViews, rowMajorHeadsGemm } from "../kernel_utils/attention";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { GPT_THREADS } from "../sources/gpt";

/** Writes `to` = `from` through the dropout mask of (rate, seed) over n elements (dropout_f32, the TsgpuDropout kernel). */
function launchDropout(cuda: CudaBackend, to: DevicePointer, from: DevicePointer, n: number, rate: number, seed: number): void {
  cuda.device.launch("gpt", "dropout_f32", cuda.device.gridFor(n), 256, [ptr(to), ptr(from), i64(n), i64(dropoutKey(seed)), i64(dropoutThreshold(rate)), f32(1 / (1 - rate))]);
}

/**
 * Causal attention (kernel/fused/gpt/causal_attention.ts): per batch element, q k^T over all heads as one
 * strided-batched GEMM into probs, one masked softmax launch over every row, then probs v into the merged output.
 * With dropout, one dropout_f32 launch over all of probs into a scratch buffer, which the product with v reads
 * (probs stays undropped for the gradient; the gradient remakes the mask from the seed).
 */
export const causalAttentionConfigs: KernelConfig[] = [
  cudaKernel(CAUSAL_ATTENTION_KERNEL, ({ inputs, cuda, attrs }) => {
    const { qkv } = inputs as { qkv: TensorInfo };
    const a = attrs as unknown as CausalAttentionAttrs;
    const { heads } = a;
    const { rate, seed } = attentionDropout(a);
    const [batch, time, channels, headSize] = validateCausalAttention(qkv, heads, rate, seed);
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
      const dropped = rate > 0 ? cuda.device.allocator.allocate(rows * time * 4) : undefined;
      if (dropped) launchDropout(cuda, dropped.pointer, probsBase, rows * time, rate, seed);
      const weights = dropped ? dropped.pointer : probsBase;
      for (let b = 0; b < batch; b++) {
        rowMajorHeadsGemm(cuda, heads, time, headSize, time, views.square(weights, b), false, views.qkvPart(qkvBase, b, 2), false, views.merged(outBase, b));
      }
      // Released at once: everything runs in order on the one stream.
      if (dropped) cuda.device.allocator.release(dropped);
    }
    return [output, probs];
  }),
  cudaKernel(CAUSAL_ATTENTION_GRAD_KERNEL, ({ inputs, cuda, attrs }) => {
    const { dy, qkv, probs } = inputs as Record<"dy" | "qkv" | "probs", TensorInfo>;
    const a = attrs as unknown as CausalAttentionAttrs;
    const { heads } = a;
    const { rate, seed } = attentionDropout(a);
    const [batch, time, channels, headSize] = validateCausalAttention(qkv, heads, rate, seed);
    const dqkv = cuda.makeOutput(qkv.shape.slice(), "float32");
    const rows = batch * heads * time;
    if (rows === 0 || headSize === 0) return dqkv;
    const views = new AttentionViews(batch, time, channels, heads);
    const [qkvBase, probsBase, dyBase, dqkvBase] = [cuda.pointer(qkv), cuda.pointer(probs), cuda.pointer(dy), cuda.pointer(dqkv)];
    const dprobs = cuda.device.allocator.allocate(rows * time * 4);
    // With dropout: `masked` first holds the dropped probabilities (for dv), then dprobs through the mask (dscores).
    const masked = rate > 0 ? cuda.device.allocator.allocate(rows * time * 4) : undefined;
    if (masked) launchDropout(cuda, masked.pointer, probsBase, rows * time, rate, seed);
    const weights = masked ? masked.pointer : probsBase;
    for (let b = 0; b < batch; b++) {
      // dv = dropped^T dy, dprobs = dy v^T
      rowMajorHeadsGemm(cuda, heads, time, headSize, time, views.square(weights, b), true, views.merged(dyBase, b), false, views.qkvPart(dqkvBase, b, 2));
      rowMajorHeadsGemm(cuda, heads, time, time, headSize, views.merged(dyBase, b), false, views.qkvPart(qkvBase, b, 2), true, views.square(dprobs.pointer, b));
    }
    if (masked) launchDropout(cuda, masked.pointer, dprobs.pointer, rows * time, rate, seed);
    const dscores = masked ? masked.pointer : dprobs.pointer;
    cuda.device.launch("gpt", "causal_softmax_grad_f32", Math.min(rows, 65535), GPT_THREADS, [ptr(dscores), ptr(probsBase), i64(rows), i64(time), f32(1 / Math.sqrt(headSize))]);
    for (let b = 0; b < batch; b++) {
      // dq = dscores k, dk = dscores^T q
      rowMajorHeadsGemm(cuda, heads, time, headSize, time, views.square(dscores, b), false, views.qkvPart(qkvBase, b, 1), false, views.qkvPart(dqkvBase, b, 0));
      rowMajorHeadsGemm(cuda, heads, time, headSize, time, views.square(dscores, b), true, views.qkvPart(qkvBase, b, 0), false, views.qkvPart(dqkvBase, b, 1));
    }
    // Released at once: everything runs in order on the one stream.
    cuda.device.allocator.release(dprobs);
    if (masked) cuda.device.allocator.release(masked);
    return dqkv;
  }),
];
