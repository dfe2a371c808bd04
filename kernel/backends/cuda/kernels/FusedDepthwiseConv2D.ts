import { FusedDepthwiseConv2D, type FusedDepthwiseConv2DAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { applyBiasActivation } from "../kernel_utils/conv";
import { depthwiseConv2dImpl, depthwiseInfo } from "../kernel_utils/depthwise";

/** FusedDepthwiseConv2D: activation(depthwiseConv2d(x, W) + bias). */
export const fusedDepthwiseConv2dConfig: KernelConfig = {
  kernelName: FusedDepthwiseConv2D,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const cuda = backend as CudaBackend;
    const { x, filter, bias, preluActivationWeights } = inputs as { x: TensorInfo; filter: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { strides, pad, dilations, dimRoundingMode, activation, leakyreluAlpha } = attrs as unknown as FusedDepthwiseConv2DAttrs;
    const info = depthwiseInfo(x.shape, filter.shape, strides, dilations, pad, dimRoundingMode);
    const y = depthwiseConv2dImpl(cuda, x, filter, info);
    return applyBiasActivation(cuda, FusedDepthwiseConv2D, y, bias, activation ?? "linear", leakyreluAlpha ?? 0.2, preluActivationWeights);
  },
};
