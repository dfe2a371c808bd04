import { All, type KernelConfig } from "@tensorflow/tfjs-core";
import { reduceKernelFunc } from "../kernel_utils/reduce";

/** All over `axis` (bool output). */
export const allConfig: KernelConfig = { kernelName: All, backendName: "cuda", kernelFunc: reduceKernelFunc("all", "bool") };
