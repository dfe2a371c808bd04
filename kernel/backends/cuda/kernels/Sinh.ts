import { Sinh, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Sinh: the `sinh` row of the op table. */
export const sinhConfig: KernelConfig = { kernelName: Sinh, backendName: "cuda", kernelFunc: unaryKernelFunc("sinh") };
