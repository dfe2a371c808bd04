import { Identity, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";

/** Identity: a new reference to the same device data (no copy). */
export const identityConfig: KernelConfig = {
  kernelName: Identity,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend }) => {
    const x = inputs.x as TensorInfo;
    (backend as CudaBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
  },
};
