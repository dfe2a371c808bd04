import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { conv2dBackpropInputImpl } from "../kernel_utils/conv";
import { requireChannelsLast, requireFloat32 } from "../kernel_utils/conv_geometry";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Conv2DBackpropInput, NHWC: dy @ W^T on cuBLAS, then col2im. */
export const conv2dBackpropInputConfig = cudaKernel(Conv2DBackpropInput, ({ inputs, cuda, attrs }) => {
  const { dy, filter } = inputs as { dy: TensorInfo; filter: TensorInfo };
  const { inputShape, strides, pad, dataFormat, dimRoundingMode } = attrs as unknown as Conv2DBackpropInputAttrs;
  requireFloat32(Conv2DBackpropInput, dy, filter);
  const info = backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(dataFormat));
  requireChannelsLast(Conv2DBackpropInput, info);
  return conv2dBackpropInputImpl(cuda, dy, filter, info);
});
