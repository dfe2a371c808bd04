import { Asin, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Asin: the `asin` row of the op table. */
export const asinConfig: KernelConfig = { kernelName: Asin, backendName: "cuda", kernelFunc: unaryKernelFunc("asin") };
