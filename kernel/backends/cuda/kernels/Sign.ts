import { Sign, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Sign: the `sign` row of the op table. */
export const signConfig: KernelConfig = { kernelName: Sign, backendName: "cuda", kernelFunc: unaryKernelFunc("sign") };
