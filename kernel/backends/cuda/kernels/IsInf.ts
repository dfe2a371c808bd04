import { IsInf, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** IsInf: the `is_inf` row of the op table. */
export const isInfConfig: KernelConfig = { kernelName: IsInf, backendName: "cuda", kernelFunc: unaryKernelFunc("is_inf") };
