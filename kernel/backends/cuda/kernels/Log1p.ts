import { Log1p, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Log1p: the `log1p` row of the op table. */
export const log1pConfig: KernelConfig = { kernelName: Log1p, backendName: "cuda", kernelFunc: unaryKernelFunc("log1p") };
