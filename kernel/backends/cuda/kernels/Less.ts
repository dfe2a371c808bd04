import { Less, type KernelConfig } from "@tensorflow/tfjs-core";
import { binaryKernelFunc } from "../kernel_utils/elementwise";

/** Less: the `less` row of the op table, with broadcasting. */
export const lessConfig: KernelConfig = { kernelName: Less, backendName: "cuda", kernelFunc: binaryKernelFunc("less") };
