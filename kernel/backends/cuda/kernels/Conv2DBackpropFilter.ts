import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { conv2dBackpropFilterImpl } from "../kernel_utils/conv";
import { requireChannelsLast, requireFloat32 } from "../kernel_utils/conv_geometry";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Conv2DBackpropFilter, NHWC: im2col(x)^T @ dy on cuBLAS. */
export const conv2dBackpropFilterConfig = cudaKernel(Conv2DBackpropFilter, ({ inputs, cuda, attrs }) => {
  const { x, dy } = inputs as { x: TensorInfo; dy: TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
  requireFloat32(Conv2DBackpropFilter, x, dy);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false,
    backend_util.convertConv2DDataFormat(dataFormat));
  requireChannelsLast(Conv2DBackpropFilter, info);
  return conv2dBackpropFilterImpl(cuda, x, dy, info);
});
