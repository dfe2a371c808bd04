import { Equal, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Equal: the `equal` row of the op table, with broadcasting. */
export const equalConfig: KernelConfig = { kernelName: Equal, backendName: "cuda", kernelFunc: binaryKernelFunc("equal") };
