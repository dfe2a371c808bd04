import { Expm1, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Expm1: the `expm1` row of the op table. */
export const expm1Config: KernelConfig = { kernelName: Expm1, backendName: "cuda", kernelFunc: unaryKernelFunc("expm1") };
