import { Add, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Add: the `add` row of the op table, with broadcasting. */
export const addConfig: KernelConfig = { kernelName: Add, backendName: "cuda", kernelFunc: binaryKernelFunc("add") };
