/** Labels of the benchmark's measurements, shared by the runner and the tfjs child process. */

/** tsgpu's cpu-blas backend with its fused dense-stack step (the default). */
export const FUSED_FRAMEWORK = "tsgpu cpu-blas";
/** tsgpu's cpu-blas backend with the fused dense-stack step turned off (TSGPU_FUSED_STEP=0): tfjs's step, kernel by kernel. */
export const UNFUSED_FRAMEWORK = "tsgpu cpu-blas, tfjs's step";
