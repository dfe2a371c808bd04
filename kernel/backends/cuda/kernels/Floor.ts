import { Floor, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** Floor: the `floor` row of the op table. */
export const floorConfig: KernelConfig = { kernelName: Floor, backendName: "cuda", kernelFunc: unaryKernelFunc("floor") };
