import { Max, type KernelConfig } from "@tensorflow/tfjs-core";
import { reduceKernelFunc } from "../kernel_utils/reduce";

/** Max over `reductionIndices` (dtype kept; NaN propagates as in the cpu backend). */
export const maxConfig: KernelConfig = { kernelName: Max, backendName: "cuda", kernelFunc: reduceKernelFunc("max", "same", "reductionIndices") };
