import { Any, type AnyAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { reduceImpl } from "../kernel_utils/reduce";

/** Any over `axis` (bool output). */
export const anyConfig: KernelConfig = {
  kernelName: Any,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as AnyAttrs;
    return reduceImpl(backend as CudaBackend, x, axis, keepDims, "any", "bool");
  },
};
