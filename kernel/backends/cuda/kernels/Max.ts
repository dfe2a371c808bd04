import { Max, type MaxAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { reduceImpl } from "../kernel_utils/reduce";

/** Max over `reductionIndices` (dtype kept; NaN propagates as in the cpu backend). */
export const maxConfig: KernelConfig = {
  kernelName: Max,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { reductionIndices, keepDims } = attrs as unknown as MaxAttrs;
    return reduceImpl(backend as CudaBackend, x, reductionIndices, keepDims, "max", x.dtype);
  },
};
