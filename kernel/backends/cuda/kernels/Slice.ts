import { type KernelConfig, Slice, type SliceAttrs, slice_util, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { sliceImpl } from "../kernel_utils/copy";

/** Slice: the box at `begin` of extent `size` (-1 = to the end), copied out contiguous. */
export const sliceConfig: KernelConfig = {
  kernelName: Slice,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { begin, size } = attrs as unknown as SliceAttrs;
    const [b, s] = slice_util.parseSliceParams(x, begin, size);
    slice_util.assertParamsValid(x, b, s);
    return sliceImpl(backend as CudaBackend, x, b, s);
  },
};
