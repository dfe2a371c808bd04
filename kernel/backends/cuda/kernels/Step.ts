import { type KernelConfig, Step } from "@tensorflow/tfjs-core";
import { alphaParameter, unaryKernelFunc } from "../kernel_utils/elementwise";

/** Step: the `step` row of the op table, p0 = alpha (the value where x <= 0). */
export const stepConfig: KernelConfig = { kernelName: Step, backendName: "cuda", kernelFunc: unaryKernelFunc("step", alphaParameter) };
