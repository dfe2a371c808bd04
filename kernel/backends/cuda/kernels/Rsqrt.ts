import { Rsqrt, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Rsqrt: the `rsqrt` row of the op table. */
export const rsqrtConfig: KernelConfig = { kernelName: Rsqrt, backendName: "cuda", kernelFunc: unaryKernelFunc("rsqrt") };
