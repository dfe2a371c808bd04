import { ClipByValue, type ClipByValueAttrs, type KernelConfig, type NamedAttrMap } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** ClipByValue: the `clip` row of the op table, parameters from the attributes. */
export const clipByValueConfig: KernelConfig = {
  kernelName: ClipByValue,
  backendName: "cuda",
  kernelFunc: unaryKernelFunc("clip", (a: NamedAttrMap) => {
    const attrs = a as unknown as ClipByValueAttrs;
    return [attrs.clipValueMin, attrs.clipValueMax];
  }),
};
