import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, type LayerNormAttrs, validateLayerNorm } from "../../../fused/gpt/index";
import { f32, i64, ptr } from "../device/cuda_device";
import { chunkedColumnSums } from "../kernel_utils/column_sums";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { GPT_THREADS } from "../sources/gpt";

type Inputs<K extends string> = Record<K, TensorInfo>;

/** LayerNorm (kernel/fused/gpt/layer_norm.ts): one block per row; the gradient adds chunked column sums for dweight, dbias. */
export const layerNormConfigs: KernelConfig[] = [
  cudaKernel(LAYER_NORM_KERNEL, ({ inputs, cuda, attrs }) => {
    const { x, weight, bias } = inputs as Inputs<"x" | "weight" | "bias">;
    const { epsilon } = attrs as unknown as LayerNormAttrs;
    const channels = validateLayerNorm(x, weight, bias, epsilon);
    const rows = channels === 0 ? 0 : x.shape.reduce((a, b) => a * b, 1) / channels;
    const y = cuda.makeOutput(x.shape.slice(), "float32");
    const mean = cuda.makeOutput([rows], "float32");
    const rstd = cuda.makeOutput([rows], "float32");
    if (rows > 0) {
      cuda.device.launch("gpt", "layer_norm_f32", Math.min(rows, 65535), GPT_THREADS, [
        ptr(cuda.pointer(y)), ptr(cuda.pointer(mean)), ptr(cuda.pointer(rstd)),
        ptr(cuda.pointer(x)), ptr(cuda.pointer(weight)), ptr(cuda.pointer(bias)), i64(rows), i64(channels), f32(epsilon),
      ]);
    }
    return [y, mean, rstd];
  }),
  cudaKernel(LAYER_NORM_GRAD_KERNEL, ({ inputs, cuda }) => {
    const { dy, x, weight, mean, rstd } = inputs as Inputs<"dy" | "x" | "weight" | "mean" | "rstd">;
    const channels = weight.shape[0]!;
    const rows = channels === 0 ? 0 : x.shape.reduce((a, b) => a * b, 1) / channels;
    const dx = cuda.makeOutput(x.shape.slice(), "float32");
    const dweight = cuda.makeOutput([channels], "float32");
    const dbias = cuda.makeOutput([channels], "float32");
    if (rows > 0) {
      const [pdy, px, pw, pm, pr] = [dy, x, weight, mean, rstd].map((t) => ptr(cuda.pointer(t)));
      cuda.device.launch("gpt", "layer_norm_grad_f32", Math.min(rows, 65535), GPT_THREADS, [ptr(cuda.pointer(dx)), pdy!, px!, pw!, pm!, pr!, i64(rows), i64(channels)]);
      chunkedColumnSums(cuda, rows, channels, [cuda.pointer(dweight), cuda.pointer(dbias)], ([dw, db], rowsPerChunk) =>
        cuda.device.launch("gpt", "layer_norm_param_grad_f32", cuda.device.gridFor(Math.ceil(rows / rowsPerChunk) * channels), 256, [
          ptr(dw!), ptr(db!), pdy!, px!, pm!, pr!, i64(rows), i64(channels), i64(rowsPerChunk),
        ]));
    } else if (channels > 0) {
      cuda.device.fill32(cuda.pointer(dweight), 0, channels);
      cuda.device.fill32(cuda.pointer(dbias), 0, channels);
    }
    return [dx, dweight, dbias];
  }),
];
