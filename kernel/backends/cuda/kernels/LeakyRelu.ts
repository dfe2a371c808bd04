import { LeakyRelu, type LeakyReluAttrs, type KernelConfig, type NamedAttrMap } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** LeakyRelu: the `leaky_relu` row of the op table, parameters from the attributes. */
export const leakyReluConfig: KernelConfig = {
  kernelName: LeakyRelu,
  backendName: "cuda",
  kernelFunc: unaryKernelFunc("leaky_relu", (a: NamedAttrMap) => {
    const attrs = a as unknown as LeakyReluAttrs;
    return [attrs.alpha, 0];
  }),
};
