import { Sum, type KernelConfig } from "@tensorflow/tfjs-core";
import { reduceKernelFunc } from "../kernel_utils/reduce";

/** Sum over `axis` (float32 stays float32; int32 and bool sum to int32 (tfjs upcast)). */
export const sumConfig: KernelConfig = { kernelName: Sum, backendName: "cuda", kernelFunc: reduceKernelFunc("sum", "sum") };
