import { Elu, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Elu: the `elu` row of the op table. */
export const eluConfig: KernelConfig = { kernelName: Elu, backendName: "cuda", kernelFunc: unaryKernelFunc("elu") };
