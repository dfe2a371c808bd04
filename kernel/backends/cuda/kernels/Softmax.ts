import { Softmax, type SoftmaxAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { i64, ptr } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";
import { SOFTMAX_THREADS } from "../sources/softmax";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Softmax over the last axis, one block per row (numerically stable: subtracts the row max). */
export const softmaxConfig = cudaKernel(Softmax, ({ inputs, cuda, attrs }) => {
  const logits = inputs.logits as TensorInfo;
  const { dim } = attrs as unknown as SoftmaxAttrs;
  const rank = logits.shape.length;
  if (dim !== -1 && dim !== rank - 1) throw new CudaUnsupportedError(`Softmax: only the last axis is supported, got dim=${dim} for rank ${rank}`);
  if (logits.dtype !== "float32") throw new CudaUnsupportedError(`Softmax: logits must be float32, got ${logits.dtype}`);
  const out = cuda.makeOutput([...logits.shape], "float32");
  const cols = rank === 0 ? 1 : logits.shape[rank - 1]!;
  const size = util.sizeFromShape(logits.shape);
  if (size > 0) {
    const rows = size / cols;
    cuda.device.launch("softmax", "softmax_f32", Math.min(rows, 65535), SOFTMAX_THREADS, [
      ptr(cuda.pointer(out)),
      ptr(cuda.pointer(logits)),
      i64(rows),
      i64(cols),
    ]);
  }
  return out;
});
