import { FusedDepthwiseConv2D, type FusedDepthwiseConv2DAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { applyBiasActivation } from "../kernel_utils/conv";
import { depthwiseConv2dImpl, depthwiseInfo } from "../kernel_utils/depthwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** FusedDepthwiseConv2D: activation(depthwiseConv2d(x, W) + bias). */
export const fusedDepthwiseConv2dConfig = cudaKernel(FusedDepthwiseConv2D, ({ inputs, cuda, attrs }) => {
  const { x, filter, bias, preluActivationWeights } = inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  const { strides, pad, dilations, dimRoundingMode, activation, leakyreluAlpha } = attrs as unknown as FusedDepthwiseConv2DAttrs;
  const info = depthwiseInfo(x.shape, filter.shape, strides, dilations, pad, dimRoundingMode);
  const y = depthwiseConv2dImpl(cuda, x, filter, info);
  return applyBiasActivation(cuda, FusedDepthwiseConv2D, y, bias, activation ?? "linear", leakyreluAlpha ?? 0.2, preluActivationWeights);
});
