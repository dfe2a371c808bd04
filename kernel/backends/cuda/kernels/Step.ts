import { Step, type StepAttrs, type KernelConfig, type NamedAttrMap } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Step: the `step` row of the op table, parameters from the attributes. */
export const stepConfig: KernelConfig = {
  kernelName: Step,
  backendName: "cuda",
  kernelFunc: unaryKernelFunc("step", (a: NamedAttrMap) => {
    const attrs = a as unknown as StepAttrs;
    return [attrs.alpha, 0];
  }),
};
