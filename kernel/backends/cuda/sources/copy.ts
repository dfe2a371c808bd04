/**
 * Data movement: strided copies and tiling, for any 32-bit dtype.
 *
 * copy_strided_b32: walks the `dims` index space (row-major, n elements) and
 * copies in[in_offset + idx . in_strides] to out[out_offset + idx . out_strides].
 * Transpose (permuted input strides), Slice (input offset), Concat (output
 * offset and strides of the whole result) and contiguous copies use it.
 * tile_b32: out (contiguous, dims) from in (contiguous, in_dims) by
 * out[idx] = in[idx mod in_dims]; the struct's in_strides hold in_dims and
 * out_strides the input's row-major strides.
 */
import { COMMON_HEADER } from "./common";

/** The family's CUDA C source. */
export function copySource(): string {
  return `${COMMON_HEADER}
extern "C" __global__ void copy_strided_b32(unsigned int* __restrict__ out, const unsigned int* __restrict__ in, strided_copy s) {
  GRID_STRIDE_LOOP(i, s.n) {
    i64 r = i, src = s.in_offset, dst = s.out_offset;
    for (int d = (int)s.rank - 1; d >= 0; --d) { const i64 c = r % s.dims[d]; r /= s.dims[d]; src += c * s.in_strides[d]; dst += c * s.out_strides[d]; }
    out[dst] = in[src];
  }
}
extern "C" __global__ void tile_b32(unsigned int* __restrict__ out, const unsigned int* __restrict__ in, strided_copy s) {
  GRID_STRIDE_LOOP(i, s.n) {
    i64 r = i, src = 0;
    for (int d = (int)s.rank - 1; d >= 0; --d) { const i64 c = r % s.dims[d]; r /= s.dims[d]; src += (c % s.in_strides[d]) * s.out_strides[d]; }
    out[i] = in[src];
  }
}
`;
}
