import { Cos, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Cos: the `cos` row of the op table. */
export const cosConfig: KernelConfig = { kernelName: Cos, backendName: "cuda", kernelFunc: unaryKernelFunc("cos") };
