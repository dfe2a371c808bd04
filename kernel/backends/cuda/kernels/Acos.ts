import { Acos, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Acos: the `acos` row of the op table. */
export const acosConfig: KernelConfig = { kernelName: Acos, backendName: "cuda", kernelFunc: unaryKernelFunc("acos") };
