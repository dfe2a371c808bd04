import { Atan2, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Atan2: the `atan2` row of the op table, with broadcasting. */
export const atan2Config: KernelConfig = { kernelName: Atan2, backendName: "cuda", kernelFunc: binaryKernelFunc("atan2") };
