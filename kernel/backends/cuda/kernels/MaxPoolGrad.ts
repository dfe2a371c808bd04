import { MaxPoolGrad, type TensorInfo } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { maxPoolGradImpl, type PoolAttrs, poolInfo } from "../kernel_utils/pool";

/** MaxPoolGrad, NHWC: dy goes to each window's (first) max. */
export const maxPoolGradConfig = cudaKernel(MaxPoolGrad, ({ inputs, cuda, attrs }) => {
  const { dy, input } = inputs as { dy: TensorInfo; input: TensorInfo };
  return maxPoolGradImpl(cuda, dy, input, poolInfo(input.shape, attrs as unknown as PoolAttrs));
});
