/**
 * tsgpu's fused kernels (contracts in kernel/tensor/fused/): the Adam update
 * of one variable and the ReLU gradient, each one launch instead of the chain
 * of element-wise launches tfjs would make (fourteen for Adam, two for the
 * ReLU gradient). Layout: contiguous arrays of n floats; outputs never alias
 * inputs. Kernel names: adam_update_f32, relu_grad_f32.
 */
import { COMMON_HEADER } from "./common";

/** The family's CUDA C source. */
export function fusedSource(): string {
  return `${COMMON_HEADER}
extern "C" __global__ void adam_update_f32(float* __restrict__ out_value, float* __restrict__ out_m, float* __restrict__ out_v, const float* __restrict__ value, const float* __restrict__ grad, const float* __restrict__ m, const float* __restrict__ v, i64 n, float beta1, float keep1, float beta2, float keep2, float step_size, float inv_second_correction, float epsilon) {
  GRID_STRIDE_LOOP(i, n) {
    const float g = grad[i];
    const float mi = beta1 * m[i] + keep1 * g;
    const float vi = beta2 * v[i] + keep2 * g * g;
    out_m[i] = mi;
    out_v[i] = vi;
    out_value[i] = value[i] - step_size * mi / (sqrtf(vi * inv_second_correction) + epsilon);
  }
}

extern "C" __global__ void relu_grad_f32(float* __restrict__ out, const float* __restrict__ dy, const float* __restrict__ x, i64 n) {
  GRID_STRIDE_LOOP(i, n) {
    const float v = x[i];
    out[i] = v > 0.0f ? dy[i] : (v != v ? v : dy[i] * 0.0f);
  }
}
`;
}
