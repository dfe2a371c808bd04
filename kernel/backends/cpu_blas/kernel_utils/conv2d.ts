/**
 * Chooses the convolution algorithm: shifted GEMMs (conv2d_shifted.ts) for
 * stride-1 convolutions with at least {@link MIN_SHIFTED_CHANNELS} input
 * channels, im2col + GEMM (conv2d_gemm.ts) otherwise. Measured on MNIST's
 * CNN (2 cores, OpenBLAS): for 26x26x32 -> 64 channels the shifted form is
 * 1.2-3x faster in each direction; with one input channel each GEMM has
 * K = 1 and im2col wins.
 */
import type { backend_util } from "@tensorflow/tfjs-core";
import type { Sgemm } from "../ffi/blas_library.js";
import { conv2dBackpropFilter as im2colFilter, conv2dBackpropInput as im2colInput, conv2dForward as im2colForward } from "./conv2d_gemm.js";
import { conv2dShiftedBackpropFilter, conv2dShiftedBackpropInput, conv2dShiftedForward, supportsShifted } from "./conv2d_shifted.js";

export const MIN_SHIFTED_CHANNELS = 8;

function useShifted(info: backend_util.Conv2DInfo): boolean {
  return info.inChannels >= MIN_SHIFTED_CHANNELS && info.batchSize * info.outHeight * info.outWidth * info.outChannels > 0 && supportsShifted(info);
}

/** y = conv2d(x, filter), NHWC. */
export function conv2dForward(sgemm: Sgemm, x: Float32Array, filter: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  return useShifted(info) ? conv2dShiftedForward(sgemm, x, filter, info) : im2colForward(sgemm, x, filter, info);
}

/** dx of conv2d, NHWC. */
export function conv2dBackpropInput(sgemm: Sgemm, dy: Float32Array, filter: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  return useShifted(info) ? conv2dShiftedBackpropInput(sgemm, dy, filter, info) : im2colInput(sgemm, dy, filter, info);
}

/** dW of conv2d, [filterH, filterW, inC, outC]. */
export function conv2dBackpropFilter(sgemm: Sgemm, x: Float32Array, dy: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  return useShifted(info) ? conv2dShiftedBackpropFilter(sgemm, x, dy, info) : im2colFilter(sgemm, x, dy, info);
}
