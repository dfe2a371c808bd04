import { Asinh, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Asinh: the `asinh` row of the op table. */
export const asinhConfig: KernelConfig = { kernelName: Asinh, backendName: "cuda", kernelFunc: unaryKernelFunc("asinh") };
