import { Selu, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Selu: the `selu` row of the op table. */
export const seluConfig: KernelConfig = { kernelName: Selu, backendName: "cuda", kernelFunc: unaryKernelFunc("selu") };
