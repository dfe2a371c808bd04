import { Any, type KernelConfig } from "@tensorflow/tfjs-core";
import { reduceKernelFunc } from "../kernel_utils/reduce";

/** Any over `axis` (bool output). */
export const anyConfig: KernelConfig = { kernelName: Any, backendName: "cuda", kernelFunc: reduceKernelFunc("any", "bool") };
