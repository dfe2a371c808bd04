import { backend_util, type KernelConfig, SplitV, type SplitVAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { sliceImpl } from "../kernel_utils/copy";

/** SplitV: consecutive slices along `axis` of the given sizes. */
export const splitVConfig: KernelConfig = {
  kernelName: SplitV,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { numOrSizeSplits, axis } = attrs as unknown as SplitVAttrs;
    const [parsed] = util.parseAxisParam(axis, x.shape);
    const a = parsed!;
    const sizes = backend_util.prepareSplitSize(x, numOrSizeSplits, a);
    const begin = x.shape.map(() => 0);
    return sizes.map((s) => {
      const size = [...x.shape];
      size[a] = s;
      const slice = sliceImpl(backend as CudaBackend, x, [...begin], size);
      begin[a]! += s;
      return slice;
    });
  },
};
