/**
 * Constant padding (PadV2; tf.layers.zeroPadding2d).
 *
 * Layout: contiguous row-major in and out, any rank up to MAX_RANK, the shape
 * and the leading pads in `struct pad_layout` (mirrored by kernels/PadV2.ts).
 * One thread per output element: it reads x where its index lies inside the
 * padded box, else writes the constant. Dtypes: f32, i32 (bool as i32).
 * Kernel names: pad_f32, pad_i32.
 */
import { COMMON_HEADER } from "./common";

const padKernel = (type: string, name: string) => `
extern "C" __global__ void ${name}(${type}* __restrict__ out, const ${type}* __restrict__ x, pad_layout l, ${type === "float" ? "float" : "int"} value) {
  GRID_STRIDE_LOOP(i, l.n) {
    i64 rest = i, offset = 0, stride = 1;
    bool inside = true;
    for (int d = (int)l.rank - 1; d >= 0; d--) {
      const i64 coordinate = rest % l.out_dims[d] - l.before[d];
      rest /= l.out_dims[d];
      if (coordinate < 0 || coordinate >= l.in_dims[d]) inside = false;
      offset += coordinate * stride;
      stride *= l.in_dims[d];
    }
    out[i] = inside ? x[offset] : value;
  }
}`;

/** The family's CUDA C source. */
export function padSource(): string {
  return `${COMMON_HEADER}
// Mirrored by kernel/backends/cuda/kernels/PadV2.ts (packPadLayout): 2 + 3 * MAX_RANK int64 fields.
struct pad_layout { i64 rank; i64 n; i64 out_dims[MAX_RANK]; i64 in_dims[MAX_RANK]; i64 before[MAX_RANK]; };
${padKernel("float", "pad_f32")}
${padKernel("int", "pad_i32")}
`;
}
