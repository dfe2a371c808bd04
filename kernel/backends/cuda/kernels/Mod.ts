import { Mod, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Mod: the `mod` row of the op table, with broadcasting. */
export const modConfig: KernelConfig = { kernelName: Mod, backendName: "cuda", kernelFunc: binaryKernelFunc("mod") };
