import { Pow, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Pow: the `pow` row of the op table, with broadcasting. */
export const powConfig: KernelConfig = { kernelName: Pow, backendName: "cuda", kernelFunc: binaryKernelFunc("pow") };
