import { AvgPool, type TensorInfo } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { type PoolAttrs, poolImpl, poolInfo } from "../kernel_utils/pool";

/** AvgPool, NHWC: one thread per output, averaging the in-bounds pixels. */
export const avgPoolConfig = cudaKernel(AvgPool, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  return poolImpl(cuda, AvgPool, x, poolInfo(x.shape, attrs as unknown as PoolAttrs), "avg");
});
