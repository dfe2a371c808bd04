import { Minimum, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Minimum: the `minimum` row of the op table, with broadcasting. */
export const minimumConfig: KernelConfig = { kernelName: Minimum, backendName: "cuda", kernelFunc: binaryKernelFunc("minimum") };
