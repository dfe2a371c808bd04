/**
 * tsgpu's fused kernels (contracts in kernel/fused/): the Adam update
 * of one variable, the ReLU gradient and the categorical cross-entropy with
 * its gradient, and the softmax gradient, each one launch instead of the
 * chain of launches tfjs would make (fourteen for Adam, two for the ReLU
 * gradient, eight and about forty for the cross-entropy, four for the softmax
 * gradient). Layout: contiguous arrays of n floats (rows x classes for the
 * row kernels, one thread per row); outputs never alias inputs. Kernel names:
 * adam_update_f32, relu_grad_f32, categorical_crossentropy_f32,
 * categorical_crossentropy_grad_f32, softmax_grad_f32.
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

// loss[r] = -sum_j t[r,j] * log(clip(p[r,j] / sum_k p[r,k], eps, 1 - eps))
extern "C" __global__ void categorical_crossentropy_f32(float* __restrict__ loss, const float* __restrict__ target, const float* __restrict__ p, i64 rows, i64 classes, float eps) {
  GRID_STRIDE_LOOP(r, rows) {
    const float* pr = p + r * classes;
    const float* tr = target + r * classes;
    float sum = 0.0f;
    for (i64 j = 0; j < classes; j++) sum += pr[j];
    float total = 0.0f;
    for (i64 j = 0; j < classes; j++) {
      const float z = pr[j] / sum;
      const float q = z < eps ? eps : (z > 1.0f - eps ? 1.0f - eps : z);
      if (tr[j] != 0.0f || q != q) total += tr[j] * logf(q);
    }
    loss[r] = -total;
  }
}

// dz = -dy[r] * t / z where eps <= z <= 1 - eps, else 0; d p = dz / s - sum_k dz_k p_k / s^2
extern "C" __global__ void categorical_crossentropy_grad_f32(float* __restrict__ grad, const float* __restrict__ dy, const float* __restrict__ target, const float* __restrict__ p, i64 rows, i64 classes, float eps) {
  GRID_STRIDE_LOOP(r, rows) {
    const float* pr = p + r * classes;
    const float* tr = target + r * classes;
    float* gr = grad + r * classes;
    float sum = 0.0f;
    for (i64 j = 0; j < classes; j++) sum += pr[j];
    float weighted = 0.0f;
    for (i64 j = 0; j < classes; j++) {
      const float z = pr[j] / sum;
      const float dz = (z >= eps && z <= 1.0f - eps) ? -dy[r] * tr[j] / z : 0.0f;
      gr[j] = dz;
      weighted += dz * pr[j];
    }
    const float shared = -weighted / (sum * sum);
    for (i64 j = 0; j < classes; j++) gr[j] = gr[j] / sum + shared;
  }
}

// out = p - sum(p) * y per row, p = dy * y
extern "C" __global__ void softmax_grad_f32(float* __restrict__ out, const float* __restrict__ dy, const float* __restrict__ y, i64 rows, i64 columns) {
  GRID_STRIDE_LOOP(r, rows) {
    const i64 base = r * columns;
    float sum = 0.0f;
    for (i64 j = 0; j < columns; j++) {
      const float p = dy[base + j] * y[base + j];
      out[base + j] = p;
      sum += p;
    }
    for (i64 j = 0; j < columns; j++) out[base + j] = out[base + j] - sum * y[base + j];
  }
}
`;
}
