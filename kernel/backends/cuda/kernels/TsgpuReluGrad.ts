import { type TensorInfo, util } from "@tensorflow/tfjs-core";
import { RELU_GRAD_KERNEL, validateReluGradInputs } from "../../../fused/relu_grad";
import { i64, ptr } from "../device/cuda_device";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** The fused ReLU gradient (kernel/fused/relu_grad.ts): one launch instead of Step and Multiply. */
export const reluGradConfig = cudaKernel(RELU_GRAD_KERNEL, ({ inputs, cuda }) => {
  const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
  validateReluGradInputs(dy, x);
  const out = cuda.makeOutput([...x.shape], "float32");
  const n = util.sizeFromShape(x.shape);
  if (n > 0) cuda.device.launch("fused", "relu_grad_f32", cuda.device.gridFor(n), 256, [ptr(cuda.pointer(out)), ptr(cuda.pointer(dy)), ptr(cuda.pointer(x)), i64(n)]);
  return out;
});
