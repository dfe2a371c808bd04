/**
 * Stride-1 NHWC conv2d and its gradients without im2col ("shifted GEMMs").
 *
 * Number the pixels of the (zero-padded) input row-major over the whole batch:
 * r = (n * Hp + y) * Wp + x. Output pixel (n, oy, ox) sits at the same r as
 * input pixel (n, oy, ox), and its filter tap (fy, fx) reads input pixel
 * r + shift, shift = fy*dilationH*Wp + fx*dilationW. So for every tap the
 * convolution is one GEMM between the input matrix [rows, inC] offset by
 * `shift` rows and the tap's [inC, outC] filter block, over a "wide" output
 * [rows, outC] in which rows that are not real output pixels (x >= outW,
 * y >= outH) are computed and thrown away (forward) or held at zero (dy, for
 * the gradients). Images are processed in chunks of a few thousand rows so
 * that a chunk's operands stay in cache across the taps.
 *
 * Compared with im2col this avoids building a K-times larger column matrix
 * (K = taps * inC) in JavaScript; the price is (Hp*Wp)/(outH*outW) extra rows.
 */
import type { backend_util } from "@tensorflow/tfjs-core";
import type { Sgemm } from "../ffi/blas_library.js";
import { float32Pool } from "./buffer_pool.js";
import { scratchBuffer } from "./im2col.js";

interface Geometry {
  batch: number;
  inC: number;
  outC: number;
  hp: number;
  wp: number;
  /** Rows of the wide layout: batch * hp * wp. */
  total: number;
  shifts: number[];
  /** Images per chunk. */
  chunk: number;
}

/** True when the convolution has stride 1 (any padding and dilation). */
export function supportsShifted(info: backend_util.Conv2DInfo): boolean {
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return false;
  const hp = info.inHeight + info.padInfo.top + info.padInfo.bottom;
  const wp = info.inWidth + info.padInfo.left + info.padInfo.right;
  return info.outHeight === hp - info.effectiveFilterHeight + 1 && info.outWidth === wp - info.effectiveFilterWidth + 1 &&
    info.padInfo.top >= 0 && info.padInfo.left >= 0 && info.padInfo.bottom >= 0 && info.padInfo.right >= 0;
}

function geometry(info: backend_util.Conv2DInfo, rowsPerChunk = 4096): Geometry {
  const hp = info.inHeight + info.padInfo.top + info.padInfo.bottom;
  const wp = info.inWidth + info.padInfo.left + info.padInfo.right;
  const shifts: number[] = [];
  for (let fy = 0; fy < info.filterHeight; fy++) {
    for (let fx = 0; fx < info.filterWidth; fx++) shifts.push(fy * info.dilationHeight * wp + fx * info.dilationWidth);
  }
  return {
    batch: info.batchSize, inC: info.inChannels, outC: info.outChannels, hp, wp,
    total: info.batchSize * hp * wp, shifts, chunk: Math.max(1, Math.floor(rowsPerChunk / (hp * wp))),
  };
}

function hasPadding(info: backend_util.Conv2DInfo): boolean {
  const p = info.padInfo;
  return p.top > 0 || p.bottom > 0 || p.left > 0 || p.right > 0;
}

/** x in the padded layout (x itself when there is no padding). */
function padInput(x: Float32Array, info: backend_util.Conv2DInfo, g: Geometry): Float32Array {
  if (!hasPadding(info)) return x;
  const padded = scratchBuffer("shifted-input", g.total * g.inC).fill(0);
  const rowLength = info.inWidth * g.inC;
  for (let n = 0; n < g.batch; n++) {
    for (let y = 0; y < info.inHeight; y++) {
      const src = ((n * info.inHeight + y) * info.inWidth) * g.inC;
      const dst = ((n * g.hp + y + info.padInfo.top) * g.wp + info.padInfo.left) * g.inC;
      padded.set(x.subarray(src, src + rowLength), dst);
    }
  }
  return padded;
}

/** dy [batch, outH, outW, outC] in the wide layout, zero at rows that are not output pixels. */
function widen(dy: Float32Array, info: backend_util.Conv2DInfo, g: Geometry): Float32Array {
  const wide = scratchBuffer("shifted-wide", g.total * g.outC).fill(0);
  const rowLength = info.outWidth * g.outC;
  for (let n = 0; n < g.batch; n++) {
    for (let y = 0; y < info.outHeight; y++) {
      const src = ((n * info.outHeight + y) * info.outWidth) * g.outC;
      wide.set(dy.subarray(src, src + rowLength), ((n * g.hp + y) * g.wp) * g.outC);
    }
  }
  return wide;
}

/** Forward convolution: returns y [batch, outH, outW, outC]. */
export function conv2dShiftedForward(sgemm: Sgemm, x: Float32Array, filter: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const g = geometry(info);
  const y = float32Pool.alloc(g.batch * info.outHeight * info.outWidth * g.outC);
  const input = padInput(x, info, g);
  const imageRows = g.hp * g.wp;
  const block = g.inC * g.outC;
  const rowLength = info.outWidth * g.outC;
  for (let first = 0; first < g.batch; first += g.chunk) {
    const count = Math.min(g.chunk, g.batch - first);
    const start = first * imageRows;
    const rows = count * imageRows;
    const wide = scratchBuffer("shifted-out", rows * g.outC).fill(0);
    g.shifts.forEach((shift, tap) => {
      const m = Math.min(rows, g.total - start - shift);
      if (m <= 0) return;
      sgemm(false, false, m, g.outC, g.inC, 1, input.subarray((start + shift) * g.inC), g.inC,
        filter.subarray(tap * block, (tap + 1) * block), g.outC, 1, wide, g.outC);
    });
    for (let n = 0; n < count; n++) {
      for (let oy = 0; oy < info.outHeight; oy++) {
        const src = (n * imageRows + oy * g.wp) * g.outC;
        y.set(wide.subarray(src, src + rowLength), (((first + n) * info.outHeight + oy) * info.outWidth) * g.outC);
      }
    }
  }
  return y;
}

/** Filter gradient: returns dW [filterH, filterW, inC, outC]. */
export function conv2dShiftedBackpropFilter(sgemm: Sgemm, x: Float32Array, dy: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const g = geometry(info);
  const dw = float32Pool.allocZeroed(g.shifts.length * g.inC * g.outC);
  const input = padInput(x, info, g);
  const wide = widen(dy, info, g);
  const imageRows = g.hp * g.wp;
  const block = g.inC * g.outC;
  for (let first = 0; first < g.batch; first += g.chunk) {
    const start = first * imageRows;
    const rows = Math.min(g.chunk, g.batch - first) * imageRows;
    g.shifts.forEach((shift, tap) => {
      const k = Math.min(rows, g.total - start - shift);
      if (k <= 0) return;
      sgemm(true, false, g.inC, g.outC, k, 1, input.subarray((start + shift) * g.inC), g.inC,
        wide.subarray(start * g.outC), g.outC, 1, dw.subarray(tap * block, (tap + 1) * block), g.outC);
    });
  }
  return dw;
}

/** Input gradient: returns dx [batch, inH, inW, inC]. */
export function conv2dShiftedBackpropInput(sgemm: Sgemm, dy: Float32Array, filter: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const g = geometry(info);
  const wide = widen(dy, info, g);
  const padded = hasPadding(info);
  const dInput = padded ? scratchBuffer("shifted-input", g.total * g.inC).fill(0) : float32Pool.allocZeroed(g.total * g.inC);
  const imageRows = g.hp * g.wp;
  const block = g.inC * g.outC;
  for (let first = 0; first < g.batch; first += g.chunk) {
    const start = first * imageRows;
    const rows = Math.min(g.chunk, g.batch - first) * imageRows;
    g.shifts.forEach((shift, tap) => {
      const m = Math.min(rows, g.total - start - shift);
      if (m <= 0) return;
      sgemm(false, true, m, g.inC, g.outC, 1, wide.subarray(start * g.outC), g.outC,
        filter.subarray(tap * block, (tap + 1) * block), g.outC, 1, dInput.subarray((start + shift) * g.inC), g.inC);
    });
  }
  if (!padded) return dInput;
  const dx = float32Pool.alloc(g.batch * info.inHeight * info.inWidth * g.inC);
  const rowLength = info.inWidth * g.inC;
  for (let n = 0; n < g.batch; n++) {
    for (let y = 0; y < info.inHeight; y++) {
      const src = ((n * g.hp + y + info.padInfo.top) * g.wp + info.padInfo.left) * g.inC;
      dx.set(dInput.subarray(src, src + rowLength), ((n * info.inHeight + y) * info.inWidth) * g.inC);
    }
  }
  return dx;
}
