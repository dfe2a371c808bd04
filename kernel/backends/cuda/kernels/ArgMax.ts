import { ArgMax, type ArgMaxAttrs, type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { argReduceImpl } from "../kernel_utils/reduce";

/** ArgMax over one axis: int32 index of the first maximum (NaN skipped). */
export const argMaxConfig: KernelConfig = {
  kernelName: ArgMax,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const [axis] = util.parseAxisParam((attrs as unknown as ArgMaxAttrs).axis, x.shape);
    return argReduceImpl(backend as CudaBackend, x, axis!, "max");
  },
};
