import { EluGrad, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** EluGrad (Elu's gradient from its output y): the `elu_grad` row of the op table. */
export const eluGradConfig: KernelConfig = { kernelName: EluGrad, backendName: "cuda", kernelFunc: binaryKernelFunc("elu_grad", ["dy", "y"]) };
