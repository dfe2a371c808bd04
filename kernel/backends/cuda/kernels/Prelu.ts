import { Prelu, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Prelu: x < 0 ? alpha * x : x, alpha broadcast to x. */
export const preluConfig: KernelConfig = { kernelName: Prelu, backendName: "cuda", kernelFunc: binaryKernelFunc("prelu", ["x", "alpha"]) };
