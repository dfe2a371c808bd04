import { DepthwiseConv2dNativeBackpropInput, type DepthwiseConv2dNativeBackpropInputAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { depthwiseBackpropInputImpl, depthwiseInfo } from "../kernel_utils/depthwise";

/** DepthwiseConv2dNativeBackpropInput, NHWC: one thread per dx element, gathering the windows that read it. */
export const depthwiseConv2dNativeBackpropInputConfig: KernelConfig = {
  kernelName: DepthwiseConv2dNativeBackpropInput,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
    const { strides, pad, dilations, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
    const info = depthwiseInfo(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode);
    return depthwiseBackpropInputImpl(backend as CudaBackend, dy, filter, info);
  },
};
