import { type TensorInfo, util } from "@tensorflow/tfjs-core";
import { DROPOUT_KERNEL, type DropoutAttrs, dropoutKey, dropoutThreshold, validateDropout } from "../../../fused/gpt/index";
import { f32, i64, ptr } from "../device/cuda_device";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Dropout (kernel/fused/gpt/dropout.ts): the mask is hashed on the device from the seed; one elementwise pass. */
export const dropoutConfig = cudaKernel(DROPOUT_KERNEL, ({ inputs, cuda, attrs }) => {
  const { x } = inputs as { x: TensorInfo };
  const { rate, seed } = attrs as unknown as DropoutAttrs;
  validateDropout(x, rate, seed);
  const n = util.sizeFromShape(x.shape);
  const y = cuda.makeOutput(x.shape.slice(), "float32");
  if (n > 0) {
    cuda.device.launch("gpt", "dropout_f32", cuda.device.gridFor(n), 256, [
      ptr(cuda.pointer(y)), ptr(cuda.pointer(x)), i64(n), i64(dropoutKey(seed)), i64(dropoutThreshold(rate)), f32(1 / (1 - rate)),
    ]);
  }
  return y;
});
