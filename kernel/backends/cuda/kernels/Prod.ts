import { Prod, type ProdAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { reduceImpl } from "../kernel_utils/reduce";

/** Prod over `axis` (float32 stays float32; int32 and bool sum to int32 (tfjs upcast)). */
export const prodConfig: KernelConfig = {
  kernelName: Prod,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as ProdAttrs;
    return reduceImpl(backend as CudaBackend, x, axis, keepDims, "prod", x.dtype === "float32" ? "float32" : "int32");
  },
};
