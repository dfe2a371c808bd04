import { type TensorInfo, util } from "@tensorflow/tfjs-core";
import { ADAM_UPDATE_KERNEL, type AdamUpdateInputs, adamBiasCorrections, validateAdamUpdateInputs } from "../../../fused/adam_update";
import { f32, i64, ptr } from "../device/cuda_device";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** The fused Adam update (kernel/fused/adam_update.ts): one launch per variable. */
export const adamUpdateConfig = cudaKernel(ADAM_UPDATE_KERNEL, ({ inputs, cuda, attrs }) => {
  const settings = validateAdamUpdateInputs(inputs, attrs);
  const { value, gradient, firstMoment, secondMoment } = inputs as AdamUpdateInputs<TensorInfo>;
  const all = [value, gradient, firstMoment, secondMoment];
  const n = util.sizeFromShape(value.shape);
  const corrections = adamBiasCorrections(settings);
  const outputs = [0, 1, 2].map(() => cuda.makeOutput([...value.shape], "float32"));
  if (n > 0) {
    cuda.device.launch("fused", "adam_update_f32", cuda.device.gridFor(n), 256, [
      ...outputs.map((o) => ptr(cuda.pointer(o))),
      ...all.map((t) => ptr(cuda.pointer(t))),
      i64(n),
      f32(settings.beta1),
      f32(1 - settings.beta1),
      f32(settings.beta2),
      f32(1 - settings.beta2),
      f32(settings.learningRate / corrections.firstMoment),
      f32(1 / corrections.secondMoment),
      f32(settings.epsilon),
    ]);
  }
  return outputs;
});
