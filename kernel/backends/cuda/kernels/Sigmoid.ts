import { Sigmoid, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Sigmoid: the `sigmoid` row of the op table. */
export const sigmoidConfig: KernelConfig = { kernelName: Sigmoid, backendName: "cuda", kernelFunc: unaryKernelFunc("sigmoid") };
