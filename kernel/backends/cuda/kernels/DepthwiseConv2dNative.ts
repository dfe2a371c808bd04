import { DepthwiseConv2dNative, type DepthwiseConv2dNativeAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { depthwiseConv2dImpl, depthwiseInfo } from "../kernel_utils/depthwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** DepthwiseConv2dNative, NHWC: one thread per output element. */
export const depthwiseConv2dNativeConfig = cudaKernel(DepthwiseConv2dNative, ({ inputs, cuda, attrs }) => {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as DepthwiseConv2dNativeAttrs;
  const info = depthwiseInfo(x.shape, filter.shape, strides, dilations, pad, dimRoundingMode);
  return depthwiseConv2dImpl(cuda, x, filter, info);
});
