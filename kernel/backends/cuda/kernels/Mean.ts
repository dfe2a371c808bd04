import { Mean, type KernelConfig } from "@tensorflow/tfjs-core";
import { reduceKernelFunc } from "../kernel_utils/reduce";

/** Mean over `axis` (float32 output). */
export const meanConfig: KernelConfig = { kernelName: Mean, backendName: "cuda", kernelFunc: reduceKernelFunc("mean", "float32") };
