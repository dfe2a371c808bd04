import { Tan, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Tan: the `tan` row of the op table. */
export const tanConfig: KernelConfig = { kernelName: Tan, backendName: "cuda", kernelFunc: unaryKernelFunc("tan") };
