import { DepthwiseConv2dNativeBackpropFilter, type DepthwiseConv2dNativeBackpropFilterAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { depthwiseBackpropFilterImpl, depthwiseInfo } from "../kernel_utils/depthwise";

/** DepthwiseConv2dNativeBackpropFilter, NHWC: one block per filter element reducing over batch and positions. */
export const depthwiseConv2dNativeBackpropFilterConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropFilter,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
    const { strides, pad, dilations, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
    const info = depthwiseInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode);
    return depthwiseBackpropFilterImpl(backend as CudaBackend, x, dy, info);
  },
};
