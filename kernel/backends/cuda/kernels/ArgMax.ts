import { ArgMax, type KernelConfig } from "@tensorflow/tfjs-core";
import { argReduceKernelFunc } from "../kernel_utils/reduce";

/** ArgMax over one axis: int32 index of the first maximum (NaN skipped). */
export const argMaxConfig: KernelConfig = { kernelName: ArgMax, backendName: "cuda", kernelFunc: argReduceKernelFunc("max") };
