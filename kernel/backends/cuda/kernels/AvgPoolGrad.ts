import { AvgPoolGrad, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { avgPoolGradImpl, type PoolAttrs, poolInfo } from "../kernel_utils/pool";

/** AvgPoolGrad, NHWC: each pixel gets dy of the windows that read it over the window size. */
export const avgPoolGradConfig: KernelConfig = {
  kernelName: AvgPoolGrad,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
    return avgPoolGradImpl(backend as CudaBackend, dy, input, poolInfo(input.shape, attrs as unknown as PoolAttrs));
  },
};
