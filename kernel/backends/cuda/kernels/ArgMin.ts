import { ArgMin, type ArgMinAttrs, type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { argReduceImpl } from "../kernel_utils/reduce";

/** ArgMin over one axis: int32 index of the first minimum (NaN skipped). */
export const argMinConfig: KernelConfig = {
  kernelName: ArgMin,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const [axis] = util.parseAxisParam((attrs as unknown as ArgMinAttrs).axis, x.shape);
    return argReduceImpl(backend as CudaBackend, x, axis!, "min");
  },
};
