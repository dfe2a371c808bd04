import { IsNan, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** IsNan: the `is_nan` row of the op table. */
export const isNanConfig: KernelConfig = { kernelName: IsNan, backendName: "cuda", kernelFunc: unaryKernelFunc("is_nan") };
