import { Tanh, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Tanh: the `tanh` row of the op table. */
export const tanhConfig: KernelConfig = { kernelName: Tanh, backendName: "cuda", kernelFunc: unaryKernelFunc("tanh") };
