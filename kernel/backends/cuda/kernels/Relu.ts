import { Relu, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Relu: the `relu` row of the op table. */
export const reluConfig: KernelConfig = { kernelName: Relu, backendName: "cuda", kernelFunc: unaryKernelFunc("relu") };
