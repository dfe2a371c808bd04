import { IsFinite, type KernelConfig } from "@tensorflow/tfjs-core";
import { unaryKernelFunc } from "../kernel_utils/elementwise";

/** IsFinite: the `is_finite` row of the op table. */
export const isFiniteConfig: KernelConfig = { kernelName: IsFinite, backendName: "cuda", kernelFunc: unaryKernelFunc("is_finite") };
