import { FusedBatchNorm, type FusedBatchNormAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { f32, i64, ptr } from "../device/cuda_device";
import { requireFloat32 } from "../kernel_utils/conv_geometry";
import { cudaKernel } from "../kernel_utils/kernel_config";

/**
 * FusedBatchNorm: offset + (x - mean) * scale / sqrt(variance + epsilon), each
 * parameter read cyclically (per channel or element-wise), as tfjs's cpu kernel.
 * tf.layers.batchNormalization computes its batch statistics with other
 * kernels (Mean, SquaredDifference...) and calls this one with them.
 */
export const fusedBatchNormConfig = cudaKernel(FusedBatchNorm, ({ inputs, cuda, attrs }) => {
  const { x, mean, variance, offset, scale } = inputs as { x: TensorInfo; mean: TensorInfo; variance: TensorInfo; offset?: TensorInfo; scale?: TensorInfo };
  const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
  requireFloat32(FusedBatchNorm, x, mean, variance, offset, scale);
  const y = cuda.makeOutput([...x.shape], "float32");
  const n = util.sizeFromShape(x.shape);
  if (n === 0) return y;
  const param = (t: TensorInfo | undefined) => {
    const length = t ? util.sizeFromShape(t.shape) : 0;
    return [ptr(length > 0 ? cuda.pointer(t!) : 0), i64(length)];
  };
  cuda.device.launch("batchnorm", "batch_norm_f32", cuda.device.gridFor(n, 256), 256, [
    ptr(cuda.pointer(y)), ptr(cuda.pointer(x)), ...param(mean), ...param(variance), ...param(offset), ...param(scale), i64(n), f32(varianceEpsilon ?? 0.001),
  ]);
  return y;
});
