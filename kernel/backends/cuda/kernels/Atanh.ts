import { Atanh, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Atanh: the `atanh` row of the op table. */
export const atanhConfig: KernelConfig = { kernelName: Atanh, backendName: "cuda", kernelFunc: unaryKernelFunc("atanh") };
