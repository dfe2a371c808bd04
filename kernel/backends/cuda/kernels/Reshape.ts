import { Reshape, type ReshapeAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Reshape: the same device data under a new shape (a new reference, no copy). */
export const reshapeConfig = cudaKernel(Reshape, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  const shape = util.inferFromImplicitShape([...(attrs as unknown as ReshapeAttrs).shape], util.sizeFromShape(x.shape));
  util.assert(util.sizeFromShape(shape) === util.sizeFromShape(x.shape), () => `Reshape: cannot reshape [${x.shape}] to [${shape}]`);
  (cuda).incRef(x.dataId);
  return { dataId: x.dataId, shape, dtype: x.dtype };
});
