import { backend_util, SplitV, type SplitVAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { sliceImpl } from "../kernel_utils/copy";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** SplitV: consecutive slices along `axis` of the given sizes. */
export const splitVConfig = cudaKernel(SplitV, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  const { numOrSizeSplits, axis } = attrs as unknown as SplitVAttrs;
  const [parsed] = util.parseAxisParam(axis, x.shape);
  const a = parsed!;
  const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, a);
  const begin = x.shape.map(() => 0);
  return sizes.map((s) => {
    const size = [...x.shape];
    size[a] = s;
    const slice = sliceImpl(cuda, x, [...begin], size);
    begin[a]! += s;
    return slice;
  });
});
