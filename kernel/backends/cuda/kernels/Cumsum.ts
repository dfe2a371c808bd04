import { Cumsum } from "@tensorflow/tfjs-core";
import { scanKernel } from "../kernel_utils/scan";

/** Cumsum: running sum along `axis` (exclusive, reverse as tfjs). */
export const cumsumConfig = scanKernel(Cumsum, "sum");
