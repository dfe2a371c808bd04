import { type KernelConfig, MaxPoolGrad, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { maxPoolGradImpl, type PoolAttrs, poolInfo } from "../kernel_utils/pool";

/** MaxPoolGrad, NHWC: dy goes to each window's (first) max. */
export const maxPoolGradConfig: KernelConfig = {
  kernelName: MaxPoolGrad,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    return maxPoolGradImpl(backend as CudaBackend, dy, input, poolInfo(input.shape, attrs as unknown as PoolAttrs));
  },
};
