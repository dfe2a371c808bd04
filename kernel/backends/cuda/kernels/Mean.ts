import { Mean, type MeanAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { reduceImpl } from "../kernel_utils/reduce";

/** Mean over `axis` (float32 output). */
export const meanConfig: KernelConfig = {
  kernelName: Mean,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as MeanAttrs;
    return reduceImpl(backend as CudaBackend, x, axis, keepDims, "mean", "float32");
  },
};
