import { RealDiv, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** RealDiv: the `div` row of the op table, with broadcasting. */
export const realDivConfig: KernelConfig = { kernelName: RealDiv, backendName: "cuda", kernelFunc: binaryKernelFunc("div") };
