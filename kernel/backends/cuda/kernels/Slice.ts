import { Slice, type SliceAttrs, slice_util, type TensorInfo } from "@tensorflow/tfjs-core";
import { sliceImpl } from "../kernel_utils/copy";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Slice: the box at `begin` of extent `size` (-1 = to the end), copied out contiguous. */
export const sliceConfig = cudaKernel(Slice, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  const { begin, size } = attrs as unknown as SliceAttrs;
  const [b, s] = slice_util.parseSliceParams(x, begin, size);
  slice_util.assertParamsValid(x, b, s);
  return sliceImpl(cuda, x, b, s);
});
