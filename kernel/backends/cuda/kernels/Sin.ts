import { Sin, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Sin: the `sin` row of the op table. */
export const sinConfig: KernelConfig = { kernelName: Sin, backendName: "cuda", kernelFunc: unaryKernelFunc("sin") };
