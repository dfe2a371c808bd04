import { Exp, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Exp: the `exp` row of the op table. */
export const expConfig: KernelConfig = { kernelName: Exp, backendName: "cuda", kernelFunc: unaryKernelFunc("exp") };
