import { type TensorInfo, Unpack, type UnpackAttrs } from "@tensorflow/tfjs-core";
import { sliceImpl } from "../kernel_utils/copy";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Unpack (unstack) along `axis`: one slice per index, with that axis removed. */
export const unpackConfig = cudaKernel(Unpack, ({ inputs, cuda, attrs }) => {
  const x = inputs.value as TensorInfo;
  const rank = x.shape.length;
  const axis = (attrs as unknown as UnpackAttrs).axis;
  const a = axis < 0 ? axis + rank : axis;
  const size = [...x.shape];
  size[a] = 1;
  const outShape = x.shape.filter((_, d) => d !== a);
  const results: TensorInfo[] = [];
  for (let i = 0; i < x.shape[a]!; i++) {
    const begin = x.shape.map((_, d) => (d === a ? i : 0));
    const slice = sliceImpl(cuda, x, begin, size);
    results.push({ dataId: slice.dataId, dtype: slice.dtype, shape: outShape });
  }
  return results;
});
