import { LogicalNot, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** LogicalNot: the `logical_not` row of the op table. */
export const logicalNotConfig: KernelConfig = { kernelName: LogicalNot, backendName: "cuda", kernelFunc: unaryKernelFunc("logical_not") };
