import { Relu6, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Relu6: the `relu6` row of the op table. */
export const relu6Config: KernelConfig = { kernelName: Relu6, backendName: "cuda", kernelFunc: unaryKernelFunc("relu6") };
