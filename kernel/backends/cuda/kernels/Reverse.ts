import { Reverse, type ReverseAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { copyStrided } from "../kernel_utils/copy";
import { rowMajorStrides } from "../kernel_utils/layout";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Reverse: x read backwards along `dims` (a strided copy with negated input strides). */
export const reverseConfig = cudaKernel(Reverse, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  const axes = util.parseAxisParam((attrs as unknown as ReverseAttrs).dims, x.shape);
  const out = cuda.makeOutput([...x.shape], x.dtype);
  const strides = rowMajorStrides(x.shape);
  let offset = 0;
  for (const axis of axes) {
    offset += (x.shape[axis]! - 1) * strides[axis]!;
    strides[axis] = -strides[axis]!;
  }
  copyStrided(cuda, cuda.pointer(out), cuda.pointer(x), [...x.shape], strides, offset, rowMajorStrides(x.shape), 0);
  return out;
});
