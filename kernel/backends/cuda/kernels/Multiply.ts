import { Multiply, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Multiply: the `mul` row of the op table, with broadcasting. */
export const multiplyConfig: KernelConfig = { kernelName: Multiply, backendName: "cuda", kernelFunc: binaryKernelFunc("mul") };
