import { Neg, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Neg: the `neg` row of the op table. */
export const negConfig: KernelConfig = { kernelName: Neg, backendName: "cuda", kernelFunc: unaryKernelFunc("neg") };
