import { Cosh, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Cosh: the `cosh` row of the op table. */
export const coshConfig: KernelConfig = { kernelName: Cosh, backendName: "cuda", kernelFunc: unaryKernelFunc("cosh") };
