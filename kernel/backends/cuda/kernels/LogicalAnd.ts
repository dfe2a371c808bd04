import { LogicalAnd, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** LogicalAnd: the `logical_and` row of the op table, with broadcasting. */
export const logicalAndConfig: KernelConfig = { kernelName: LogicalAnd, backendName: "cuda", kernelFunc: binaryKernelFunc("logical_and") };
