import { LogicalOr, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** LogicalOr: the `logical_or` row of the op table, with broadcasting. */
export const logicalOrConfig: KernelConfig = { kernelName: LogicalOr, backendName: "cuda", kernelFunc: binaryKernelFunc("logical_or") };
