/**
 * 2-D convolutions (Conv2D and its gradients; depthwise convolutions).
 *
 * Layout: NHWC activations, contiguous; filters [fh, fw, in_c, out_c]
 * (regular) and [fh, fw, in_c, multiplier] (depthwise, output channel
 * c * multiplier + q), as tfjs. Geometry (strides, dilations, top/left pads of
 * 'same'/'valid'/explicit padding, already resolved by tfjs's
 * computeConv2DInfo) comes in `struct conv_geometry`. Dtype: f32 only.
 *
 * Regular convolutions are GEMMs on cuBLAS around two layout kernels:
 * - im2col_f32: col[(b, oh, ow), (kh, kw, ci)] = x[b, oh*sh - pt + kh*dh, ow*sw - pl + kw*dw, ci]
 *   (0 outside the input), so y = col @ W[fh*fw*in_c, out_c] is NHWC.
 * - col2im_f32: the adjoint, as a gather (no atomics): each dx element sums the
 *   dcol entries of the windows that read it.
 * Depthwise convolutions are direct kernels: forward and input gradient one
 * thread per output element; the filter gradient one block per filter element
 * reducing over batch and output positions (blockDim.x a power of two,
 * <= CONV_REDUCE_THREADS).
 * Kernel names: im2col_f32, col2im_f32, depthwise_conv_f32,
 * depthwise_conv_input_grad_f32, depthwise_conv_filter_grad_f32.
 */
import { COMMON_HEADER } from "./common";
import { CONV_GEOMETRY_HEADER } from "./conv_geometry";

/** Threads per block of the reducing kernels (a power of two). */
export const CONV_REDUCE_THREADS = 256;

/** The family's CUDA C source. */
export function convSource(): string {
  return `${COMMON_HEADER}${CONV_GEOMETRY_HEADER}
extern "C" __global__ void im2col_f32(float* __restrict__ col, const float* __restrict__ x, conv_geometry g) {
  const i64 k = g.filter_h * g.filter_w * g.in_c;
  const i64 n = g.batch * g.out_h * g.out_w * k;
  GRID_STRIDE_LOOP(i, n) {
    const i64 ci = i % g.in_c;
    const i64 kw = (i / g.in_c) % g.filter_w;
    const i64 kh = (i / (g.in_c * g.filter_w)) % g.filter_h;
    const i64 row = i / k;
    const i64 ow = row % g.out_w;
    const i64 oh = (row / g.out_w) % g.out_h;
    const i64 b = row / (g.out_w * g.out_h);
    const i64 ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
    const i64 iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
    col[i] = (ih >= 0 && ih < g.in_h && iw >= 0 && iw < g.in_w) ? x[((b * g.in_h + ih) * g.in_w + iw) * g.in_c + ci] : 0.0f;
  }
}

extern "C" __global__ void col2im_f32(float* __restrict__ dx, const float* __restrict__ col, conv_geometry g) {
  const i64 k = g.filter_h * g.filter_w * g.in_c;
  const i64 n = g.batch * g.in_h * g.in_w * g.in_c;
  GRID_STRIDE_LOOP(i, n) {
    const i64 ci = i % g.in_c;
    const i64 iw = (i / g.in_c) % g.in_w;
    const i64 ih = (i / (g.in_c * g.in_w)) % g.in_h;
    const i64 b = i / (g.in_c * g.in_w * g.in_h);
    float sum = 0.0f;
    for (i64 kh = 0; kh < g.filter_h; kh++) {
      const i64 th = ih + g.pad_top - kh * g.dilation_h;
      if (th < 0 || th % g.stride_h != 0) continue;
      const i64 oh = th / g.stride_h;
      if (oh >= g.out_h) continue;
      for (i64 kw = 0; kw < g.filter_w; kw++) {
        const i64 tw = iw + g.pad_left - kw * g.dilation_w;
        if (tw < 0 || tw % g.stride_w != 0) continue;
        const i64 ow = tw / g.stride_w;
        if (ow >= g.out_w) continue;
        sum += col[((b * g.out_h + oh) * g.out_w + ow) * k + (kh * g.filter_w + kw) * g.in_c + ci];
      }
    }
    dx[i] = sum;
  }
}

extern "C" __global__ void depthwise_conv_f32(float* __restrict__ y, const float* __restrict__ x, const float* __restrict__ w, conv_geometry g) {
  const i64 n = g.batch * g.out_h * g.out_w * g.out_c;
  GRID_STRIDE_LOOP(i, n) {
    const i64 co = i % g.out_c;
    const i64 ow = (i / g.out_c) % g.out_w;
    const i64 oh = (i / (g.out_c * g.out_w)) % g.out_h;
    const i64 b = i / (g.out_c * g.out_w * g.out_h);
    const i64 c = co / g.channel_multiplier;
    const i64 q = co % g.channel_multiplier;
    float sum = 0.0f;
    for (i64 kh = 0; kh < g.filter_h; kh++) {
      const i64 ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
      if (ih < 0 || ih >= g.in_h) continue;
      for (i64 kw = 0; kw < g.filter_w; kw++) {
        const i64 iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
        if (iw < 0 || iw >= g.in_w) continue;
        sum += x[((b * g.in_h + ih) * g.in_w + iw) * g.in_c + c] * w[((kh * g.filter_w + kw) * g.in_c + c) * g.channel_multiplier + q];
      }
    }
    y[i] = sum;
  }
}

extern "C" __global__ void depthwise_conv_input_grad_f32(float* __restrict__ dx, const float* __restrict__ dy, const float* __restrict__ w, conv_geometry g) {
  const i64 n = g.batch * g.in_h * g.in_w * g.in_c;
  GRID_STRIDE_LOOP(i, n) {
    const i64 c = i % g.in_c;
    const i64 iw = (i / g.in_c) % g.in_w;
    const i64 ih = (i / (g.in_c * g.in_w)) % g.in_h;
    const i64 b = i / (g.in_c * g.in_w * g.in_h);
    float sum = 0.0f;
    for (i64 kh = 0; kh < g.filter_h; kh++) {
      const i64 th = ih + g.pad_top - kh * g.dilation_h;
      if (th < 0 || th % g.stride_h != 0) continue;
      const i64 oh = th / g.stride_h;
      if (oh >= g.out_h) continue;
      for (i64 kw = 0; kw < g.filter_w; kw++) {
        const i64 tw = iw + g.pad_left - kw * g.dilation_w;
        if (tw < 0 || tw % g.stride_w != 0) continue;
        const i64 ow = tw / g.stride_w;
        if (ow >= g.out_w) continue;
        for (i64 q = 0; q < g.channel_multiplier; q++) {
          sum += dy[((b * g.out_h + oh) * g.out_w + ow) * g.out_c + c * g.channel_multiplier + q] * w[((kh * g.filter_w + kw) * g.in_c + c) * g.channel_multiplier + q];
        }
      }
    }
    dx[i] = sum;
  }
}

extern "C" __global__ void depthwise_conv_filter_grad_f32(float* __restrict__ dw, const float* __restrict__ x, const float* __restrict__ dy, conv_geometry g) {
  __shared__ float partial[${CONV_REDUCE_THREADS}];
  const i64 filters = g.filter_h * g.filter_w * g.in_c * g.channel_multiplier;
  const i64 positions = g.batch * g.out_h * g.out_w;
  for (i64 f = blockIdx.x; f < filters; f += gridDim.x) {
    const i64 q = f % g.channel_multiplier;
    const i64 c = (f / g.channel_multiplier) % g.in_c;
    const i64 kw = (f / (g.channel_multiplier * g.in_c)) % g.filter_w;
    const i64 kh = f / (g.channel_multiplier * g.in_c * g.filter_w);
    float sum = 0.0f;
    for (i64 p = threadIdx.x; p < positions; p += blockDim.x) {
      const i64 ow = p % g.out_w;
      const i64 oh = (p / g.out_w) % g.out_h;
      const i64 b = p / (g.out_w * g.out_h);
      const i64 ih = oh * g.stride_h - g.pad_top + kh * g.dilation_h;
      const i64 iw = ow * g.stride_w - g.pad_left + kw * g.dilation_w;
      if (ih < 0 || ih >= g.in_h || iw < 0 || iw >= g.in_w) continue;
      sum += x[((b * g.in_h + ih) * g.in_w + iw) * g.in_c + c] * dy[p * g.out_c + c * g.channel_multiplier + q];
    }
    partial[threadIdx.x] = sum;
    __syncthreads();
    for (int width = blockDim.x / 2; width > 0; width >>= 1) {
      if (threadIdx.x < width) partial[threadIdx.x] += partial[threadIdx.x + width];
      __syncthreads();
    }
    if (threadIdx.x == 0) dw[f] = partial[0];
    __syncthreads();
  }
}
`;
}
