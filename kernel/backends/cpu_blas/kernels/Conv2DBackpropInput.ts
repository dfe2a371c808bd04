import { backend_util, Conv2DBackpropInput, type Conv2DBackpropInputAttrs } from "@tensorflow/tfjs-core";
import { conv2dBackpropInput } from "../kernel_utils/conv2d.js";
import { conv2dKernelConfig } from "../kernel_utils/conv2d_kernel.js";

/** Conv2DBackpropInput (conv2d's input gradient, conv2dTranspose) through sgemm + col2im. */
export const conv2DBackpropInputConfig = conv2dKernelConfig({
  kernelName: Conv2DBackpropInput,
  inputs: ["dy", "filter"],
  geometry: (_dy, filter, attrs) => {
    const { inputShape, strides, pad, dimRoundingMode } = attrs as unknown as Conv2DBackpropInputAttrs;
    return backend_util.computeConv2DInfo(inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, "channelsLast");
  },
  compute: conv2dBackpropInput,
  outputShape: (info) => info.inShape,
});
