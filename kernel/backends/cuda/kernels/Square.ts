import { Square, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Square: the `square` row of the op table. */
export const squareConfig: KernelConfig = { kernelName: Square, backendName: "cuda", kernelFunc: unaryKernelFunc("square") };
