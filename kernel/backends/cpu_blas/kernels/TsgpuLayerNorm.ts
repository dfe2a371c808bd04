import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { LAYER_NORM_GRAD_KERNEL, LAYER_NORM_KERNEL, type LayerNormAttrs, validateLayerNorm } from "../../../fused/gpt/index.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";
import { layerNormBackward, layerNormForward } from "../kernel_utils/gpt_math.js";
import { type KernelArgs, floatValues, output } from "../kernel_utils/kernel_support.js";

/** LayerNorm forward (kernel/fused/gpt/layer_norm.ts): one pass per row. */
function layerNorm(args: KernelArgs): TensorInfo[] {
  const { backend } = args;
  const { x, weight, bias } = args.inputs as Record<"x" | "weight" | "bias", TensorInfo>;
  const { epsilon } = args.attrs as unknown as LayerNormAttrs;
  const channels = validateLayerNorm(x, weight, bias, epsilon);
  const xv = floatValues(backend, x)!;
  const rows = xv.length / channels;
  const y = float32Pool.alloc(xv.length);
  const mean = new Float32Array(rows);
  const rstd = new Float32Array(rows);
  layerNormForward(xv, floatValues(backend, weight)!, floatValues(backend, bias)!, epsilon, channels, y, mean, rstd);
  return [output(backend, x.shape.slice(), y), output(backend, [rows], mean), output(backend, [rows], rstd)];
}

/** LayerNorm backward: dx, dweight, dbias in two passes per row. */
function layerNormGrad(args: KernelArgs): TensorInfo[] {
  const { backend } = args;
  const { dy, x, weight, mean, rstd } = args.inputs as Record<"dy" | "x" | "weight" | "mean" | "rstd", TensorInfo>;
  const channels = weight.shape[0]!;
  const xv = floatValues(backend, x)!;
  const dx = float32Pool.alloc(xv.length);
  const dw = new Float32Array(channels);
  const db = new Float32Array(channels);
  layerNormBackward(floatValues(backend, dy)!, xv, floatValues(backend, weight)!, floatValues(backend, mean)!, floatValues(backend, rstd)!, channels, dx, dw, db);
  return [output(backend, x.shape.slice(), dx), output(backend, [channels], dw), output(backend, [channels], db)];
}

export const layerNormConfigs: KernelConfig[] = [
  { kernelName: LAYER_NORM_KERNEL, backendName: "cpu-blas", kernelFunc: layerNorm as unknown as KernelConfig["kernelFunc"] },
  { kernelName: LAYER_NORM_GRAD_KERNEL, backendName: "cpu-blas", kernelFunc: layerNormGrad as unknown as KernelConfig["kernelFunc"] },
];
