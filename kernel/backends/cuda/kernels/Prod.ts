import { Prod, type KernelConfig } from "@tensorflow/tfjs-core";
import { reduceKernelFunc } from "../kernel_utils/reduce";

/** Prod over `axis` (float32 stays float32; int32 and bool multiply to int32 (tfjs upcast)). */
export const prodConfig: KernelConfig = { kernelName: Prod, backendName: "cuda", kernelFunc: reduceKernelFunc("prod", "sum") };
