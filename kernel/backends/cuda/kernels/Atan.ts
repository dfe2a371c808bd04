import { Atan, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Atan: the `atan` row of the op table. */
export const atanConfig: KernelConfig = { kernelName: Atan, backendName: "cuda", kernelFunc: unaryKernelFunc("atan") };
