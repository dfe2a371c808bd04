import { Min, type MinAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { reduceImpl } from "../kernel_utils/reduce";

/** Min over `axis` (dtype kept; NaN propagates as in the cpu backend). */
export const minConfig: KernelConfig = {
  kernelName: Min,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as MinAttrs;
    return reduceImpl(backend as CudaBackend, x, axis, keepDims, "min", x.dtype);
  },
};
