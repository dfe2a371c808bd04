import { AvgPoolGrad, type TensorInfo } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { avgPoolGradImpl, type PoolAttrs, poolInfo } from "../kernel_utils/pool";

/** AvgPoolGrad, NHWC: each pixel gets dy of the windows that read it over the window size. */
export const avgPoolGradConfig = cudaKernel(AvgPoolGrad, ({ inputs, cuda, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  return avgPoolGradImpl(cuda, dy, input, poolInfo(input.shape, attrs as unknown as PoolAttrs));
});
