import { Log, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Log: the `log` row of the op table. */
export const logConfig: KernelConfig = { kernelName: Log, backendName: "cuda", kernelFunc: unaryKernelFunc("log") };
