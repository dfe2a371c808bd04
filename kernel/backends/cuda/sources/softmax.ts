/**
 * Row softmax over the last axis.
 *
 * Layout: contiguous [rows, cols] in and out. One block of SOFTMAX_THREADS
 * threads per row (grid-stride over rows): a max pass, a pass summing
 * exp(x - max), and a pass writing exp(x - max) / sum; partials combine in
 * shared memory. Dtype: f32. Kernel name: softmax_f32.
 */
import { COMMON_HEADER } from "./common";

/** Threads per block (a power of two). */
export const SOFTMAX_THREADS = 256;

/** The family's CUDA C source. */
export function softmaxSource(): string {
  return `${COMMON_HEADER}
extern "C" __global__ void softmax_f32(float* __restrict__ out, const float* __restrict__ in, i64 rows, i64 cols) {
  __shared__ float partial[${SOFTMAX_THREADS}];
  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
    const float* x = in + row * cols;
    float* y = out + row * cols;
    float m = -__int_as_float(0x7f800000);
    for (i64 j = threadIdx.x; j < cols; j += blockDim.x) m = fmaxf(m, x[j]);
    partial[threadIdx.x] = m;
    __syncthreads();
    for (int width = blockDim.x / 2; width > 0; width >>= 1) {
      if (threadIdx.x < width) partial[threadIdx.x] = fmaxf(partial[threadIdx.x], partial[threadIdx.x + width]);
      __syncthreads();
    }
    m = partial[0];
    __syncthreads();
    float s = 0.0f;
    for (i64 j = threadIdx.x; j < cols; j += blockDim.x) s += expf(x[j] - m);
    partial[threadIdx.x] = s;
    __syncthreads();
    for (int width = blockDim.x / 2; width > 0; width >>= 1) {
      if (threadIdx.x < width) partial[threadIdx.x] += partial[threadIdx.x + width];
      __syncthreads();
    }
    const float inv = 1.0f / partial[0];
    for (i64 j = threadIdx.x; j < cols; j += blockDim.x) y[j] = expf(x[j] - m) * inv;
    __syncthreads();
  }
}
`;
}
