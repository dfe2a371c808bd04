import { type KernelConfig, type TensorInfo, util, ZerosLike } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";

/** ZerosLike: zeros of x's shape and dtype. */
export const zerosLikeConfig: KernelConfig = {
  kernelName: ZerosLike,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    const cuda = backend as CudaBackend;
    const out = cuda.makeOutput([...x.shape], x.dtype);
    cuda.device.fill32(cuda.pointer(out), 0, util.sizeFromShape(x.shape));
    return out;
  },
};
