import { MaxPool, type TensorInfo } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { type PoolAttrs, poolImpl, poolInfo } from "../kernel_utils/pool";

/** MaxPool, NHWC: one thread per output. */
export const maxPoolConfig = cudaKernel(MaxPool, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  return poolImpl(cuda, MaxPool, x, poolInfo(x.shape, attrs as unknown as PoolAttrs), "max");
});
