import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { SOFTMAX_GRAD_KERNEL } from "../../../fused/softmax_grad";
import type { CudaBackend } from "../backend_cuda";
import { i64, ptr } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";

/** The fused softmax gradient (kernel/fused/softmax_grad.ts): one launch, one thread per row, instead of four. */
export const softmaxGradConfig: KernelConfig = {
  kernelName: SOFTMAX_GRAD_KERNEL,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend }) => {
    const cuda = backend as CudaBackend;
    const { dy, y } = inputs as { dy: TensorInfo; y: TensorInfo };
    if (dy.dtype !== "float32" || y.dtype !== "float32" || !util.arraysEqual(dy.shape, y.shape) || y.shape.length === 0) {
      throw new CudaUnsupportedError(`${SOFTMAX_GRAD_KERNEL}: dy and y must be float32 of one shape [..., n], got [${dy.shape}] and [${y.shape}]`);
    }
    const out = cuda.makeOutput([...y.shape], "float32");
    const columns = y.shape[y.shape.length - 1]!;
    const rows = columns === 0 ? 0 : util.sizeFromShape(y.shape) / columns;
    if (rows > 0) cuda.device.launch("fused", "softmax_grad_f32", cuda.device.gridFor(rows), 256, [ptr(cuda.pointer(out)), ptr(cuda.pointer(dy)), ptr(cuda.pointer(y)), i64(rows), i64(columns)]);
    return out;
  },
};
