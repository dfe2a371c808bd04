import { NotEqual, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** NotEqual: the `not_equal` row of the op table, with broadcasting. */
export const notEqualConfig: KernelConfig = { kernelName: NotEqual, backendName: "cuda", kernelFunc: binaryKernelFunc("not_equal") };
