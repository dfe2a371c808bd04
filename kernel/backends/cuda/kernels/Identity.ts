import { Identity, type TensorInfo } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Identity: a new reference to the same device data (no copy). */
export const identityConfig = cudaKernel(Identity, ({ inputs, cuda }) => {
  const x = inputs.x as TensorInfo;
  (cuda).incRef(x.dataId);
  return { dataId: x.dataId, shape: [...x.shape], dtype: x.dtype };
});
