import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { RELU_GRAD_KERNEL } from "../../../fused/relu_grad";
import type { CudaBackend } from "../backend_cuda";
import { i64, ptr } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";

/** The fused ReLU gradient (kernel/fused/relu_grad.ts): one launch instead of Step and Multiply. */
export const reluGradConfig: KernelConfig = {
  kernelName: RELU_GRAD_KERNEL,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend }) => {
    const cuda = backend as CudaBackend;
    const { dy, x } = inputs as { dy: TensorInfo; x: TensorInfo };
    if (dy.dtype !== "float32" || x.dtype !== "float32" || !util.arraysEqual(dy.shape, x.shape)) {
      throw new CudaUnsupportedError(`${RELU_GRAD_KERNEL}: dy and x must be float32 of one shape, got [${dy.shape}] and [${x.shape}]`);
    }
    const out = cuda.makeOutput([...x.shape], "float32");
    const n = util.sizeFromShape(x.shape);
    if (n > 0) cuda.device.launch("fused", "relu_grad_f32", cuda.device.gridFor(n), 256, [ptr(cuda.pointer(out)), ptr(cuda.pointer(dy)), ptr(cuda.pointer(x)), i64(n)]);
    return out;
  },
};
