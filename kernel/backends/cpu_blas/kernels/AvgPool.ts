import { AvgPool, type KernelConfig } from "@tensorflow/tfjs-core";
import { pool2dKernel } from "../kernel_utils/pool2d_kernel.js";

/** AvgPool (NHWC float32) with channel-innermost loops; the mean is over in-image pixels. */
export const avgPoolKernel = pool2dKernel(AvgPool, "avg");

export const avgPoolConfig: KernelConfig = {
  kernelName: AvgPool,
  backendName: "cpu-blas",
  kernelFunc: avgPoolKernel as unknown as KernelConfig["kernelFunc"],
};
