import { AvgPool, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { type PoolAttrs, poolImpl, poolInfo } from "../kernel_utils/pool";

/** AvgPool, NHWC: one thread per output, averaging the in-bounds pixels. */
export const avgPoolConfig: KernelConfig = {
  kernelName: AvgPool,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    return poolImpl(backend as CudaBackend, AvgPool, x, poolInfo(x.shape, attrs as unknown as PoolAttrs), "avg");
  },
};
