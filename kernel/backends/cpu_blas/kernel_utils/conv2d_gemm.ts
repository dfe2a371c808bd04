/**
 * NHWC conv2d and its two gradients as im2col + sgemm, chunked over images so
 * that the column matrix stays a few MiB (cache friendly, bounded memory).
 * Filter layout is tfjs's [filterH, filterW, inC, outC], which read row-major
 * is already the [K = filterH*filterW*inC, outC] GEMM operand.
 *
 *   forward:         y[rows, outC]  = cols[rows, K] x W[K, outC]
 *   input gradient:  dcols[rows, K] = dy[rows, outC] x W^T, then col2im (scatter-add)
 *   filter gradient: dW[K, outC]   += cols^T x dy  (accumulated over chunks)
 *
 * 1x1 / stride 1 / unpadded convolutions skip im2col (x is already cols).
 */
import type { backend_util } from "@tensorflow/tfjs-core";
import type { Sgemm } from "../ffi/blas_library.js";
import { col2imAdd, im2col, imagesPerChunk, isPointwise, patchSize, scratchBuffer } from "./im2col.js";
import { float32Pool } from "./buffer_pool.js";

function rowsPerImage(info: backend_util.Conv2DInfo): number {
  return info.outHeight * info.outWidth;
}

function isEmpty(info: backend_util.Conv2DInfo): boolean {
  return info.batchSize * rowsPerImage(info) * info.outChannels === 0;
}

/** Forward convolution: returns y, NHWC [batch, outH, outW, outC]. */
export function conv2dForward(sgemm: Sgemm, x: Float32Array, filter: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const outC = info.outChannels;
  const y = float32Pool.alloc(info.batchSize * rowsPerImage(info) * outC);
  const k = patchSize(info);
  if (isEmpty(info) || k === 0) return y.fill(0);
  if (isPointwise(info)) {
    sgemm(false, false, info.batchSize * rowsPerImage(info), outC, k, 1, x, k, filter, outC, 0, y, outC);
    return y;
  }
  const chunk = imagesPerChunk(info);
  for (let first = 0; first < info.batchSize; first += chunk) {
    const count = Math.min(chunk, info.batchSize - first);
    const rows = count * rowsPerImage(info);
    const cols = scratchBuffer("cols", rows * k);
    im2col(x, info, first, count, cols);
    const yChunk = y.subarray(first * rowsPerImage(info) * outC, (first + count) * rowsPerImage(info) * outC);
    sgemm(false, false, rows, outC, k, 1, cols, k, filter, outC, 0, yChunk, outC);
  }
  return y;
}

/** Input gradient: returns dx, NHWC [batch, inH, inW, inC]. */
export function conv2dBackpropInput(sgemm: Sgemm, dy: Float32Array, filter: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const outC = info.outChannels;
  const dx = float32Pool.allocZeroed(info.batchSize * info.inHeight * info.inWidth * info.inChannels);
  const k = patchSize(info);
  if (isEmpty(info) || k === 0) return dx;
  if (isPointwise(info)) {
    sgemm(false, true, info.batchSize * rowsPerImage(info), k, outC, 1, dy, outC, filter, outC, 0, dx, k);
    return dx;
  }
  const chunk = imagesPerChunk(info);
  for (let first = 0; first < info.batchSize; first += chunk) {
    const count = Math.min(chunk, info.batchSize - first);
    const rows = count * rowsPerImage(info);
    const dcols = scratchBuffer("cols", rows * k);
    const dyChunk = dy.subarray(first * rowsPerImage(info) * outC, (first + count) * rowsPerImage(info) * outC);
    sgemm(false, true, rows, k, outC, 1, dyChunk, outC, filter, outC, 0, dcols, k);
    col2imAdd(dcols, info, first, count, dx);
  }
  return dx;
}

/** Filter gradient: returns dW, [filterH, filterW, inC, outC]. */
export function conv2dBackpropFilter(sgemm: Sgemm, x: Float32Array, dy: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const outC = info.outChannels;
  const k = patchSize(info);
  const dw = float32Pool.alloc(k * outC);
  if (isEmpty(info) || k === 0) return dw.fill(0);
  if (isPointwise(info)) {
    sgemm(true, false, k, outC, info.batchSize * rowsPerImage(info), 1, x, k, dy, outC, 0, dw, outC);
    return dw;
  }
  const chunk = imagesPerChunk(info);
  for (let first = 0; first < info.batchSize; first += chunk) {
    const count = Math.min(chunk, info.batchSize - first);
    const rows = count * rowsPerImage(info);
    const cols = scratchBuffer("cols", rows * k);
    im2col(x, info, first, count, cols);
    const dyChunk = dy.subarray(first * rowsPerImage(info) * outC, (first + count) * rowsPerImage(info) * outC);
    sgemm(true, false, k, outC, rows, 1, cols, k, dyChunk, outC, first === 0 ? 0 : 1, dw, outC);
  }
  return dw;
}
