import { DepthwiseConv2dNativeBackpropFilter, type DepthwiseConv2dNativeBackpropFilterAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { depthwiseBackpropFilterImpl, depthwiseInfo } from "../kernel_utils/depthwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** DepthwiseConv2dNativeBackpropFilter, NHWC: one block per filter element reducing over batch and positions. */
export const depthwiseConv2dNativeBackpropFilterConfig = cudaKernel(DepthwiseConv2dNativeBackpropFilter, ({ inputs, cuda, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dilations, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
  const info = depthwiseInfo(x.shape, filterShape, strides, dilations, pad, dimRoundingMode);
  return depthwiseBackpropFilterImpl(cuda, x, dy, info);
});
