import { Greater, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Greater: the `greater` row of the op table, with broadcasting. */
export const greaterConfig: KernelConfig = { kernelName: Greater, backendName: "cuda", kernelFunc: binaryKernelFunc("greater") };
