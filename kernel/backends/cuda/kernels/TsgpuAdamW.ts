import { type TensorInfo, util } from "@tensorflow/tfjs-core";
import { ADAMW_KERNEL, type AdamWAttrs, validateAdamW } from "../../../fused/gpt/index";
import { f32, i64, ptr } from "../device/cuda_device";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** AdamW (kernel/fused/gpt/adamw.ts): one launch per parameter, new param and moments out; the gradient scale stays on the device. */
export const adamwConfig = cudaKernel(ADAMW_KERNEL, ({ inputs, cuda, attrs }) => {
  const { param, grad, m, v, gradScale } = inputs as Record<"param" | "grad" | "m" | "v" | "gradScale", TensorInfo>;
  const a = attrs as unknown as AdamWAttrs;
  validateAdamW(param, grad, m, v, gradScale, a);
  const n = util.sizeFromShape(param.shape);
  const outputs = [0, 1, 2].map(() => cuda.makeOutput(param.shape.slice(), "float32"));
  if (n > 0) {
    cuda.device.launch("gpt", "adamw_f32", cuda.device.gridFor(n), 256, [
      ...outputs.map((o) => ptr(cuda.pointer(o))),
      ...[param, grad, m, v, gradScale!].map((t) => ptr(cuda.pointer(t))),
      i64(n), f32(a.learningRate), f32(a.learningRate * a.weightDecay), f32(a.beta1), f32(a.beta2), f32(a.epsilon),
      f32(1 / (1 - a.beta1 ** a.step)), f32(1 / (1 - a.beta2 ** a.step)),
    ]);
  }
  return outputs;
});
