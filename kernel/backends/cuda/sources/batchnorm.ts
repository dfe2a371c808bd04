/**
 * Batch normalisation as tfjs's FusedBatchNorm kernel defines it:
 * y = offset + (x - mean) * scale / sqrt(variance + epsilon).
 *
 * Layout: x contiguous (NHWC or any shape); each parameter is a contiguous
 * array read cyclically, element i using param[i % length] (tfjs's cpu
 * backend), so per-channel [C] parameters broadcast over the last axis and
 * full-shape ones are read element-wise. A missing offset is passed as
 * length 0 (0), a missing scale likewise (1). The statistics for training
 * (tf.moments) and the gradient are other kernels; tfjs computes them as ops.
 * Dtype: f32. Kernel name: batch_norm_f32.
 */
import { COMMON_HEADER } from "./common";

/** The family's CUDA C source. */
export function batchNormSource(): string {
  return `${COMMON_HEADER}
extern "C" __global__ void batch_norm_f32(float* __restrict__ y, const float* __restrict__ x, const float* __restrict__ mean, i64 mean_length, const float* __restrict__ variance, i64 variance_length, const float* __restrict__ offset, i64 offset_length, const float* __restrict__ scale, i64 scale_length, i64 n, float epsilon) {
  GRID_STRIDE_LOOP(i, n) {
    const float o = offset_length > 0 ? offset[i % offset_length] : 0.0f;
    const float s = scale_length > 0 ? scale[i % scale_length] : 1.0f;
    y[i] = o + (x[i] - mean[i % mean_length]) * s / sqrtf(variance[i % variance_length] + epsilon);
  }
}
`;
}
