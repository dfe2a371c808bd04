import { type KernelConfig, LeakyRelu } from "@tensorflow/tfjs-core";
import { alphaParameter, unaryKernelFunc } from "../kernel_utils/elementwise";

/** LeakyRelu: the `leaky_relu` row of the op table, p0 = alpha. */
export const leakyReluConfig: KernelConfig = { kernelName: LeakyRelu, backendName: "cuda", kernelFunc: unaryKernelFunc("leaky_relu", alphaParameter) };
