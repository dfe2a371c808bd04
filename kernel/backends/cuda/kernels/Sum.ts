import { Sum, type SumAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { reduceImpl } from "../kernel_utils/reduce";

/** Sum over `axis` (float32 stays float32; int32 and bool sum to int32 (tfjs upcast)). */
export const sumConfig: KernelConfig = {
  kernelName: Sum,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { axis, keepDims } = attrs as unknown as SumAttrs;
    return reduceImpl(backend as CudaBackend, x, axis, keepDims, "sum", x.dtype === "float32" ? "float32" : "int32");
  },
};
