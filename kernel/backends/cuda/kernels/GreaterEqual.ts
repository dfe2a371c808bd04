import { GreaterEqual, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** GreaterEqual: the `greater_equal` row of the op table, with broadcasting. */
export const greaterEqualConfig: KernelConfig = { kernelName: GreaterEqual, backendName: "cuda", kernelFunc: binaryKernelFunc("greater_equal") };
