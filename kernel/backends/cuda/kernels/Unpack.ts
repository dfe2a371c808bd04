import { type KernelConfig, type TensorInfo, Unpack, type UnpackAttrs } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { sliceImpl } from "../kernel_utils/copy";

/** Unpack (unstack) along `axis`: one slice per index, with that axis removed. */
export const unpackConfig: KernelConfig = {
  kernelName: Unpack,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
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
      const slice = sliceImpl(backend as CudaBackend, x, begin, size);
      results.push({ dataId: slice.dataId, dtype: slice.dtype, shape: outShape });
    }
    return results;
  },
};
