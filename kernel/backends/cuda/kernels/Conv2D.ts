import { backend_util, Conv2D, type Conv2DAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { conv2dImpl } from "../kernel_utils/conv";
import { requireChannelsLast, requireFloat32 } from "../kernel_utils/conv_geometry";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Conv2D, NHWC: im2col then one cuBLAS SGEMM (kernel_utils/conv.ts). */
export const conv2dConfig = cudaKernel(Conv2D, ({ inputs, cuda, attrs }) => {
  const { x, filter } = inputs as { x: TensorInfo; filter: TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode } = attrs as unknown as Conv2DAttrs;
  requireFloat32(Conv2D, x, filter);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, false, backend_util.convertConv2DDataFormat(dataFormat));
  requireChannelsLast(Conv2D, info);
  return conv2dImpl(cuda, x, filter, info);
});
