import { ExpandDims, type ExpandDimsAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** ExpandDims: a size-1 axis inserted at `dim` (a new reference to the same data, as Reshape). */
export const expandDimsConfig = cudaKernel(ExpandDims, ({ inputs, cuda, attrs }) => {
  const input = inputs.input as TensorInfo;
  const { dim } = attrs as unknown as ExpandDimsAttrs;
  const rank = input.shape.length;
  let axis = dim;
  if (dim < 0) {
    util.assert(-(rank + 1) <= dim, () => `Axis must be in the interval [${-(rank + 1)}, ${rank}]`);
    axis = rank + dim + 1;
  }
  const shape = [...input.shape];
  shape.splice(axis, 0, 1);
  cuda.incRef(input.dataId);
  return { dataId: input.dataId, shape, dtype: input.dtype };
});
