import { DepthwiseConv2dNative, type DepthwiseConv2dNativeAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { depthwiseConv2dImpl, depthwiseInfo } from "../kernel_utils/depthwise";

/** DepthwiseConv2dNative, NHWC: one thread per output element. */
export const depthwiseConv2dNativeConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNative,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
    const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as DepthwiseConv2dNativeAttrs;
    const info = depthwiseInfo(x.shape, filter.shape, strides, dilations, pad, dimRoundingMode);
    return depthwiseConv2dImpl(backend as CudaBackend, x, filter, info);
  },
};
