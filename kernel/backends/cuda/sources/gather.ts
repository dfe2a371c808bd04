/**
 * Index-driven kernels: GatherV2, OneHot and UnsortedSegmentSum.
 *
 * gather_b32: x viewed as contiguous [outer, axis_size, inner], indices
 * [count] (int32), out [outer, count, inner]. Any 32-bit dtype (bits are
 * copied). An index outside [0, axis_size) writes 0, as tfjs's GPU backends do.
 * one_hot_<type>: indices [n] (int32), out [n, depth] with on/off values;
 * out-of-range indices give an all-off row.
 * unsorted_segment_sum_f32: x [rows, inner], segment ids [rows] (int32),
 * out [segments, inner] zeroed by the host first; out[ids[r]] += x[r] with
 * atomicAdd (float sums land in any order: not bitwise deterministic); rows
 * with an id outside [0, segments) are dropped, as tfjs's cpu backend does.
 */
import { COMMON_HEADER } from "./common";

/** The family's CUDA C source. */
export function gatherSource(): string {
  return `${COMMON_HEADER}
extern "C" __global__ void gather_b32(unsigned int* __restrict__ out, const unsigned int* __restrict__ x, const int* __restrict__ indices,
                                      i64 outer, i64 axis_size, i64 inner, i64 count) {
  const i64 n = outer * count * inner;
  GRID_STRIDE_LOOP(i, n) {
    const i64 k = i % inner; const i64 rest = i / inner; const i64 c = rest % count; const i64 o = rest / count;
    const int index = indices[c];
    out[i] = (index >= 0 && index < axis_size) ? x[(o * axis_size + index) * inner + k] : 0u;
  }
}
extern "C" __global__ void one_hot_f32(float* __restrict__ out, const int* __restrict__ indices, i64 n, i64 depth, float on, float off) {
  GRID_STRIDE_LOOP(i, n * depth) { out[i] = (indices[i / depth] == (int)(i % depth)) ? on : off; }
}
extern "C" __global__ void one_hot_i32(int* __restrict__ out, const int* __restrict__ indices, i64 n, i64 depth, float on, float off) {
  GRID_STRIDE_LOOP(i, n * depth) { out[i] = (indices[i / depth] == (int)(i % depth)) ? (int)on : (int)off; }
}
extern "C" __global__ void unsorted_segment_sum_f32(float* __restrict__ out, const float* __restrict__ x, const int* __restrict__ ids, i64 rows, i64 inner, i64 segments) {
  GRID_STRIDE_LOOP(i, rows * inner) { const int s = ids[i / inner]; if (s >= 0 && s < segments) atomicAdd(&out[(i64)s * inner + i % inner], x[i]); }
}
`;
}
