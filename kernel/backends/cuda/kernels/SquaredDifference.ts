import { SquaredDifference, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** SquaredDifference: the `squared_difference` row of the op table, with broadcasting. */
export const squaredDifferenceConfig: KernelConfig = { kernelName: SquaredDifference, backendName: "cuda", kernelFunc: binaryKernelFunc("squared_difference") };
