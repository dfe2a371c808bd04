import { Pack, type PackAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { concatImpl } from "./Concat";

/** Pack (stack) along `axis`: each input gets a size-1 axis there, then Concat. */
export const packConfig = cudaKernel(Pack, ({ inputs, cuda, attrs }) => {
  const tensors = inputs as unknown as TensorInfo[];
  const rank = tensors[0]!.shape.length;
  const axis = (attrs as unknown as PackAttrs).axis;
  const a = axis < 0 ? axis + rank + 1 : axis;
  const expanded = tensors.map((t) => {
    cuda.incRef(t.dataId);
    return { dataId: t.dataId, dtype: t.dtype, shape: [...t.shape.slice(0, a), 1, ...t.shape.slice(a)] };
  });
  const out = concatImpl(cuda, expanded, a);
  for (const t of expanded) cuda.disposeIntermediateTensorInfo(t);
  return out;
});
