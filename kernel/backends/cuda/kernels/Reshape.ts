import { type KernelConfig, Reshape, type ReshapeAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";

/** Reshape: the same device data under a new shape (a new reference, no copy). */
export const reshapeConfig: KernelConfig = {
  kernelName: Reshape,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const shape = util.inferFromImplicitShape([...(attrs as unknown as ReshapeAttrs).shape], util.sizeFromShape(x.shape));
    util.assert(util.sizeFromShape(shape) === util.sizeFromShape(x.shape), () => `Reshape: cannot reshape [${x.shape}] to [${shape}]`);
    (backend as CudaBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape, dtype: x.dtype };
  },
};
