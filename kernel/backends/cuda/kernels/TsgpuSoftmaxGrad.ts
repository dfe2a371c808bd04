import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { SOFTMAX_GRAD_KERNEL, validateSoftmaxGradInputs } from "../../../fused/softmax_grad";
import { i64, ptr } from "../device/cuda_device";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** The fused softmax gradient (kernel/fused/softmax_grad.ts): one launch, one thread per row, instead of four. */
export const softmaxGradConfig = cudaKernel(SOFTMAX_GRAD_KERNEL, ({ inputs, cuda }) => {
  const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
  const { rows, columns } = validateSoftmaxGradInputs(dy, y);
  const out = cuda.makeOutput([...y.shape], "float32");
  if (rows > 0) cuda.device.launch("fused", "softmax_grad_f32", cuda.device.gridFor(rows), 256, [ptr(cuda.pointer(out)), ptr(cuda.pointer(dy)), ptr(cuda.pointer(y)), i64(rows), i64(columns)]);
  return out;
});
