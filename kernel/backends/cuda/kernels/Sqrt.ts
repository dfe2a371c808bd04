import { Sqrt, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Sqrt: the `sqrt` row of the op table. */
export const sqrtConfig: KernelConfig = { kernelName: Sqrt, backendName: "cuda", kernelFunc: unaryKernelFunc("sqrt") };
