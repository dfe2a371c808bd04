import { Min, type KernelConfig } from "@tensorflow/tfjs-core";
import { reduceKernelFunc } from "../kernel_utils/reduce";

/** Min over `axis` (dtype kept; NaN propagates as in the cpu backend). */
export const minConfig: KernelConfig = { kernelName: Min, backendName: "cuda", kernelFunc: reduceKernelFunc("min", "same") };
