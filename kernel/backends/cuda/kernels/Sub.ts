import { Sub, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Sub: the `sub` row of the op table, with broadcasting. */
export const subConfig: KernelConfig = { kernelName: Sub, backendName: "cuda", kernelFunc: binaryKernelFunc("sub") };
