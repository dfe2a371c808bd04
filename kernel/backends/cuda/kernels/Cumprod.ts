import { Cumprod } from "@tensorflow/tfjs-core";
import { scanKernel } from "../kernel_utils/scan";

/** Cumprod: running prod along `axis` (exclusive, reverse as tfjs). */
export const cumprodConfig = scanKernel(Cumprod, "prod");
