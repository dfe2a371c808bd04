import { backend_util, Conv2D, type Conv2DAttrs } from "@tensorflow/tfjs-core";
import { conv2dForward } from "../kernel_utils/conv2d.js";
import { conv2dKernelConfig } from "../kernel_utils/conv2d_kernel.js";

type Shape4 = [number, number, number, number];

/** Conv2D (NHWC, float32) through im2col or shifted GEMMs + sgemm; NCHW and other dtypes use tfjs's cpu kernel. */
export const conv2DConfig = conv2dKernelConfig({
  kernelName: Conv2D,
  inputs: ["x", "filter"],
  geometry: (x, filter, attrs) => {
    const { strides, pad, dilations, dimRoundingMode } = attrs as unknown as Conv2DAttrs;
    return backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, strides, dilations, pad, dimRoundingMode, false, "channelsLast");
  },
  compute: conv2dForward,
  outputShape: (info) => info.outShape,
});
