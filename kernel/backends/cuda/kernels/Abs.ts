import { Abs, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Abs: the `abs` row of the op table. */
export const absConfig: KernelConfig = { kernelName: Abs, backendName: "cuda", kernelFunc: unaryKernelFunc("abs") };
