import { MaxPool, type KernelConfig } from "@tensorflow/tfjs-core";
import { pool2dKernel } from "../kernel_utils/pool2d_kernel.js";

/** MaxPool (NHWC float32) with channel-innermost loops. */
export const maxPoolKernel = pool2dKernel(MaxPool, "max");

export const maxPoolConfig: KernelConfig = {
  kernelName: MaxPool,
  backendName: "cpu-blas",
  kernelFunc: maxPoolKernel as unknown as KernelConfig["kernelFunc"],
};
