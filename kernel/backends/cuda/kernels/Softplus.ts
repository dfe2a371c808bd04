import { Softplus, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Softplus: the `softplus` row of the op table. */
export const softplusConfig: KernelConfig = { kernelName: Softplus, backendName: "cuda", kernelFunc: unaryKernelFunc("softplus") };
