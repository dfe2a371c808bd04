import { type KernelConfig, MaxPool, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { type PoolAttrs, poolImpl, poolInfo } from "../kernel_utils/pool";

/** MaxPool, NHWC: one thread per output. */
export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    return poolImpl(backend as CudaBackend, MaxPool, x, poolInfo(x.shape, attrs as unknown as PoolAttrs), "max");
  },
};
