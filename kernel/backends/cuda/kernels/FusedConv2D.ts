import { backend_util, FusedConv2D, type FusedConv2DAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { applyBiasActivation, conv2dImpl } from "../kernel_utils/conv";
import { requireChannelsLast, requireFloat32 } from "../kernel_utils/conv_geometry";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** FusedConv2D: activation(conv2d(x, W) + bias); the bias and activation in one pass over the GEMM result. */
export const fusedConv2dConfig = cudaKernel(FusedConv2D, ({ inputs, cuda, attrs }) => {
  const { x, filter, bias, preluActivationWeights } = inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  const { strides, pad, dataFormat, dilations, dimRoundingMode, activation, leakyreluAlpha } = attrs as unknown as FusedConv2DAttrs;
  requireFloat32(FusedConv2D, x, filter, bias, preluActivationWeights);
  const info = backend_util.computeConv2DInfo(x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    strides, dilations, pad, dimRoundingMode, false, backend_util.convertConv2DDataFormat(dataFormat));
  requireChannelsLast(FusedConv2D, info);
  const y = conv2dImpl(cuda, x, filter, info);
  return applyBiasActivation(cuda, FusedConv2D, y, bias, activation ?? "linear", leakyreluAlpha ?? 0.2, preluActivationWeights);
});
