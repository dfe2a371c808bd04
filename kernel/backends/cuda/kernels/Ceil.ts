import { Ceil, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Ceil: the `ceil` row of the op table. */
export const ceilConfig: KernelConfig = { kernelName: Ceil, backendName: "cuda", kernelFunc: unaryKernelFunc("ceil") };
