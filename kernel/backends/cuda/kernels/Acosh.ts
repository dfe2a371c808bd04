import { Acosh, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Acosh: the `acosh` row of the op table. */
export const acoshConfig: KernelConfig = { kernelName: Acosh, backendName: "cuda", kernelFunc: unaryKernelFunc("acosh") };
