import { backend_util, Conv2DBackpropFilter, type Conv2DBackpropFilterAttrs } from "@tensorflow/tfjs-core";
import { conv2dBackpropFilter } from "../kernel_utils/conv2d.js";
import { conv2dKernelConfig } from "../kernel_utils/conv2d_kernel.js";

/** Conv2DBackpropFilter (conv2d's filter gradient) through sgemm, accumulated over image chunks. */
export const conv2DBackpropFilterConfig = conv2dKernelConfig({
  kernelName: Conv2DBackpropFilter,
  inputs: ["x", "dy"],
  geometry: (x, _dy, attrs) => {
    const { strides, pad, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    return backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, "channelsLast");
  },
  compute: conv2dBackpropFilter,
  outputShape: (info) => info.filterShape,
});
