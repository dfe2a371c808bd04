import { Erf, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Erf: the `erf` row of the op table. */
export const erfConfig: KernelConfig = { kernelName: Erf, backendName: "cuda", kernelFunc: unaryKernelFunc("erf") };
