import { Maximum, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Maximum: the `maximum` row of the op table, with broadcasting. */
export const maximumConfig: KernelConfig = { kernelName: Maximum, backendName: "cuda", kernelFunc: binaryKernelFunc("maximum") };
