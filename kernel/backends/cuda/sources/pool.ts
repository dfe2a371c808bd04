/**
 * 2-D pooling (MaxPool, AvgPool and their gradients), as tfjs's cpu backend
 * defines them.
 *
 * Layout: NHWC, contiguous; window geometry in `struct conv_geometry`
 * (out_c == in_c; tfjs pools have dilation 1). Dtype: f32.
 * - max_pool_f32 / avg_pool_f32: one thread per output. Max keeps the first
 *   strictly greater value starting from -Inf (NaN never wins, an all-NaN
 *   window gives -Inf); avg divides by the number of in-bounds pixels.
 * - max_pool_positions_f32: per output, the row-major offset within the
 *   window of the max (-1 when no value beats -Inf), as tfjs's
 *   maxPoolPositions.
 * - max_pool_grad_f32: each dx element sums dy of the windows whose max it is
 *   (a gather over those positions, no atomics).
 * - avg_pool_grad_f32: each dx element sums dy of the windows that read it,
 *   times 1 / (filter_h * filter_w) (tfjs's cpu kernel: the full window size,
 *   also where the forward averaged fewer pixels at the border).
 * Kernel names: max_pool_f32, avg_pool_f32, max_pool_positions_f32,
 * max_pool_grad_f32, avg_pool_grad_f32.
 */
import { COMMON_HEADER } from "./common";
import { CONV_GEOMETRY_HEADER } from "./conv_geometry";

/** The family's CUDA C source. */
export function poolSource(): string {
  return `${COMMON_HEADER}${CONV_GEOMETRY_HEADER}
#define POOL_OUTPUT_INDEX(i) \\
  const i64 c = i % g.in_c; \\
  const i64 ow = (i / g.in_c) % g.out_w; \\
  const i64 oh = (i / (g.in_c * g.out_w)) % g.out_h; \\
  const i64 b = i / (g.in_c * g.out_w * g.out_h); \\
  const i64 h0 = oh * g.stride_h - g.pad_top; \\
  const i64 w0 = ow * g.stride_w - g.pad_left; \\
  const i64 h_end = h0 + g.filter_h < g.in_h ? h0 + g.filter_h : g.in_h; \\
  const i64 w_end = w0 + g.filter_w < g.in_w ? w0 + g.filter_w : g.in_w;

extern "C" __global__ void max_pool_f32(float* __restrict__ y, const float* __restrict__ x, conv_geometry g) {
  const i64 n = g.batch * g.out_h * g.out_w * g.in_c;
  GRID_STRIDE_LOOP(i, n) {
    POOL_OUTPUT_INDEX(i)
    float best = -__int_as_float(0x7f800000);
    for (i64 h = h0 < 0 ? 0 : h0; h < h_end; h++) {
      for (i64 w = w0 < 0 ? 0 : w0; w < w_end; w++) {
        const float v = x[((b * g.in_h + h) * g.in_w + w) * g.in_c + c];
        if (v > best) best = v;
      }
    }
    y[i] = best;
  }
}

extern "C" __global__ void avg_pool_f32(float* __restrict__ y, const float* __restrict__ x, conv_geometry g) {
  const i64 n = g.batch * g.out_h * g.out_w * g.in_c;
  GRID_STRIDE_LOOP(i, n) {
    POOL_OUTPUT_INDEX(i)
    float sum = 0.0f;
    i64 count = 0;
    for (i64 h = h0 < 0 ? 0 : h0; h < h_end; h++) {
      for (i64 w = w0 < 0 ? 0 : w0; w < w_end; w++) {
        sum += x[((b * g.in_h + h) * g.in_w + w) * g.in_c + c];
        count++;
      }
    }
    y[i] = sum / (float)count;
  }
}

extern "C" __global__ void max_pool_positions_f32(int* __restrict__ positions, const float* __restrict__ x, conv_geometry g) {
  const i64 n = g.batch * g.out_h * g.out_w * g.in_c;
  GRID_STRIDE_LOOP(i, n) {
    POOL_OUTPUT_INDEX(i)
    float best = -__int_as_float(0x7f800000);
    int position = -1;
    for (i64 h = h0 < 0 ? 0 : h0; h < h_end; h++) {
      for (i64 w = w0 < 0 ? 0 : w0; w < w_end; w++) {
        const float v = x[((b * g.in_h + h) * g.in_w + w) * g.in_c + c];
        if (v > best) { best = v; position = (int)((h - h0) * g.filter_w + (w - w0)); }
      }
    }
    positions[i] = position;
  }
}

#define POOL_INPUT_WINDOWS(i, BODY) \\
  const i64 c = i % g.in_c; \\
  const i64 iw = (i / g.in_c) % g.in_w; \\
  const i64 ih = (i / (g.in_c * g.in_w)) % g.in_h; \\
  const i64 b = i / (g.in_c * g.in_w * g.in_h); \\
  for (i64 kh = 0; kh < g.filter_h; kh++) { \\
    const i64 th = ih + g.pad_top - kh; \\
    if (th < 0 || th % g.stride_h != 0 || th / g.stride_h >= g.out_h) continue; \\
    const i64 oh = th / g.stride_h; \\
    for (i64 kw = 0; kw < g.filter_w; kw++) { \\
      const i64 tw = iw + g.pad_left - kw; \\
      if (tw < 0 || tw % g.stride_w != 0 || tw / g.stride_w >= g.out_w) continue; \\
      const i64 o = ((b * g.out_h + oh) * g.out_w + tw / g.stride_w) * g.in_c + c; \\
      BODY \\
    } \\
  }

extern "C" __global__ void max_pool_grad_f32(float* __restrict__ dx, const float* __restrict__ dy, const int* __restrict__ positions, conv_geometry g) {
  const i64 n = g.batch * g.in_h * g.in_w * g.in_c;
  GRID_STRIDE_LOOP(i, n) {
    float sum = 0.0f;
    POOL_INPUT_WINDOWS(i, if (positions[o] == (int)(kh * g.filter_w + kw)) sum += dy[o];)
    dx[i] = sum;
  }
}

extern "C" __global__ void avg_pool_grad_f32(float* __restrict__ dx, const float* __restrict__ dy, conv_geometry g) {
  const i64 n = g.batch * g.in_h * g.in_w * g.in_c;
  const float scale = 1.0f / (float)(g.filter_h * g.filter_w);
  GRID_STRIDE_LOOP(i, n) {
    float sum = 0.0f;
    POOL_INPUT_WINDOWS(i, sum += dy[o];)
    dx[i] = sum * scale;
  }
}
`;
}
