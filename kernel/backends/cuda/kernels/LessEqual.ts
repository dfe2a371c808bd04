import { LessEqual, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** LessEqual: the `less_equal` row of the op table, with broadcasting. */
export const lessEqualConfig: KernelConfig = { kernelName: LessEqual, backendName: "cuda", kernelFunc: binaryKernelFunc("less_equal") };
