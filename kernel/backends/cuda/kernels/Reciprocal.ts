import { Reciprocal, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Reciprocal: the `reciprocal` row of the op table. */
export const reciprocalConfig: KernelConfig = { kernelName: Reciprocal, backendName: "cuda", kernelFunc: unaryKernelFunc("reciprocal") };
