import { ArgMin, type KernelConfig } from "@tensorflow/tfjs-core";
import { argReduceKernelFunc } from "../kernel_utils/reduce";

/** ArgMin over one axis: int32 index of the first minimum (NaN skipped). */
export const argMinConfig: KernelConfig = { kernelName: ArgMin, backendName: "cuda", kernelFunc: argReduceKernelFunc("min") };
