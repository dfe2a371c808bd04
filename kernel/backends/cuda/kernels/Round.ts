import { Round, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Round: the `round` row of the op table. */
export const roundConfig: KernelConfig = { kernelName: Round, backendName: "cuda", kernelFunc: unaryKernelFunc("round") };
