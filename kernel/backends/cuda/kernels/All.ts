import { All, type AllAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { reduceImpl } from "../kernel_utils/reduce";

/** All over `axis` (bool output). */
export const allConfig: KernelConfig = {
  kernelName: All,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as AllAttrs;
    return reduceImpl(backend as CudaBackend, x, axis, keepDims, "all", "bool");
  },
};
