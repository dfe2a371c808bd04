import { DepthwiseConv2dNativeBackpropInput, type DepthwiseConv2dNativeBackpropInputAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { depthwiseBackpropInputImpl, depthwiseInfo } from "../kernel_utils/depthwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** DepthwiseConv2dNativeBackpropInput, NHWC: one thread per dx element, gathering the windows that read it. */
export const depthwiseConv2dNativeBackpropInputConfig = cudaKernel(DepthwiseConv2dNativeBackpropInput, ({ inputs, cuda, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { strides, pad, dilations, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
  const info = depthwiseInfo(inputShape, filter.shape, strides, dilations, pad, dimRoundingMode);
  return depthwiseBackpropInputImpl(cuda, dy, filter, info);
});
