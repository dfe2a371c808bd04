import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { BIAS_GELU_GRAD_KERNEL, BIAS_GELU_KERNEL, validateBiasGelu } from "../../../fused/gpt/index";
import { i64, ptr } from "../device/cuda_device";
import { chunkedColumnSums } from "../kernel_utils/column_sums";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Bias + GELU (kernel/fused/gpt/bias_gelu.ts): one elementwise pass; the gradient adds chunked column sums for dbias. */
export const biasGeluConfigs: KernelConfig[] = [
  cudaKernel(BIAS_GELU_KERNEL, ({ inputs, cuda }) => {
    const { x, bias } = inputs as Record<"x" | "bias", TensorInfo>;
    const channels = validateBiasGelu(x, bias);
    const n = util.sizeFromShape(x.shape);
    const y = cuda.makeOutput(x.shape.slice(), "float32");
    if (n > 0) {
      cuda.device.launch("gpt", "bias_gelu_f32", cuda.device.gridFor(n), 256, [ptr(cuda.pointer(y)), ptr(cuda.pointer(x)), ptr(cuda.pointer(bias)), i64(n), i64(channels)]);
    }
    return y;
  }),
  cudaKernel(BIAS_GELU_GRAD_KERNEL, ({ inputs, cuda }) => {
    const { dy, x, bias } = inputs as Record<"dy" | "x" | "bias", TensorInfo>;
    const channels = validateBiasGelu(x, bias);
    const n = util.sizeFromShape(x.shape);
    const dx = cuda.makeOutput(x.shape.slice(), "float32");
    const dbias = cuda.makeOutput([channels], "float32");
    if (n > 0) {
      cuda.device.launch("gpt", "bias_gelu_grad_f32", cuda.device.gridFor(n), 256, [
        ptr(cuda.pointer(dx)), ptr(cuda.pointer(dy)), ptr(cuda.pointer(x)), ptr(cuda.pointer(bias)), i64(n), i64(channels),
      ]);
      const rows = n / channels;
      chunkedColumnSums(cuda, rows, channels, [cuda.pointer(dbias)], ([db], rowsPerChunk) =>
        cuda.device.launch("gpt", "column_sum_f32", cuda.device.gridFor(Math.ceil(rows / rowsPerChunk) * channels), 256, [
          ptr(db!), ptr(cuda.pointer(dx)), i64(rows), i64(channels), i64(rowsPerChunk),
        ]));
    } else if (channels > 0) {
      cuda.device.fill32(cuda.pointer(dbias), 0, channels);
    }
    return [dx, dbias];
  }),
];
