import { BitwiseAnd, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** BitwiseAnd (int32): the `bitwise_and` row of the op table. */
export const bitwiseAndConfig: KernelConfig = { kernelName: BitwiseAnd, backendName: "cuda", kernelFunc: binaryKernelFunc("bitwise_and") };
