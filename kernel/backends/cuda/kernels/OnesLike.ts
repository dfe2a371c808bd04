import { type KernelConfig, OnesLike, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { fillBits } from "./Fill";

/** OnesLike: ones of x's shape and dtype. */
export const onesLikeConfig: KernelConfig = {
  kernelName: OnesLike,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    const cuda = backend as CudaBackend;
    const out = cuda.makeOutput([...x.shape], x.dtype);
    cuda.device.fill32(cuda.pointer(out), fillBits(1, x.dtype), util.sizeFromShape(x.shape));
    return out;
  },
};
