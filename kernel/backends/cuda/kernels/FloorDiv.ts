import { FloorDiv, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** FloorDiv: the `floor_div` row of the op table, with broadcasting. */
export const floorDivConfig: KernelConfig = { kernelName: FloorDiv, backendName: "cuda", kernelFunc: binaryKernelFunc("floor_div") };
