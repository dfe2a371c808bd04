/**
 * 2-D max and average pooling on NHWC float32, and max pooling's gradient.
 * Loops run channel-innermost so every read is contiguous in NHWC. Semantics
 * follow tfjs's cpu kernels: windows clipped to the image (padding is not a
 * value), max keeps the first strict maximum in (row, column) scan order,
 * average divides by the number of in-image pixels, NaN is never a max.
 */
import type { backend_util } from "@tensorflow/tfjs-core";
import { float32Pool } from "./buffer_pool.js";
import { defineRangeLoops, runRange } from "./parallel/thread_pool.js";

interface Window {
  rowStart: number;
  rowEnd: number;
  colStart: number;
  colEnd: number;
}

function windowAt(info: backend_util.Conv2DInfo, oy: number, ox: number): Window {
  const rowCorner = oy * info.strideHeight - info.padInfo.top;
  const colCorner = ox * info.strideWidth - info.padInfo.left;
  return {
    rowStart: Math.max(0, rowCorner),
    rowEnd: Math.min(info.inHeight, info.effectiveFilterHeight + rowCorner),
    colStart: Math.max(0, colCorner),
    colEnd: Math.min(info.inWidth, info.effectiveFilterWidth + colCorner),
  };
}

/** Adjusts a clipped window start to stay on the dilation grid of its corner. */
function alignedStart(start: number, corner: number, dilation: number): number {
  if (dilation === 1 || start === corner) return start;
  return corner + Math.ceil((start - corner) / dilation) * dilation;
}

/** True for 2x2 windows with stride 2 that tile the input exactly (the usual CNN max pool). */
export function isTiled2x2(info: backend_util.Conv2DInfo): boolean {
  return info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
    info.dilationHeight === 1 && info.dilationWidth === 1 && info.padInfo.top === 0 && info.padInfo.left === 0 &&
    info.outHeight * 2 <= info.inHeight && info.outWidth * 2 <= info.inWidth;
}

/** [inHeight, inWidth, outHeight, outWidth, channels]: the scalars of the 2x2 range loops. */
function tiledScalars(info: backend_util.Conv2DInfo): number[] {
  return [info.inHeight, info.inWidth, info.outHeight, info.outWidth, info.inChannels];
}

/**
 * The 2x2 loops over images [start, end): forward arrays [x, y], gradient
 * arrays [x, dy, dx]. Images are independent, so threads split the batch.
 */
const tiledLoops = defineRangeLoops(__filename, {
  /** Max pooling over tiled 2x2 windows, unrolled (same result as the general loop). */
  maxPool2x2: (arrays, scalars, start, end) => {
    const [x, y] = arrays as [Float32Array, Float32Array];
    const [inHeight, inWidth, outHeight, outWidth, channels] = scalars as [number, number, number, number, number];
    const rowStride = inWidth * channels;
    for (let n = start; n < end; n++) {
      let out = n * outHeight * outWidth * channels;
      for (let oy = 0; oy < outHeight; oy++) {
        for (let ox = 0; ox < outWidth; ox++, out += channels) {
          const p00 = ((n * inHeight + 2 * oy) * inWidth + 2 * ox) * channels;
          const p01 = p00 + channels;
          const p10 = p00 + rowStride;
          const p11 = p10 + channels;
          for (let c = 0; c < channels; c++) {
            let m = Number.NEGATIVE_INFINITY;
            const a = x[p00 + c]!, b = x[p01 + c]!, d = x[p10 + c]!, e = x[p11 + c]!;
            if (a > m) m = a;
            if (b > m) m = b;
            if (d > m) m = d;
            if (e > m) m = e;
            y[out + c] = m;
          }
        }
      }
    }
  },
  /** Max pooling's gradient over tiled 2x2 windows: dy goes to the first maximum of each window. */
  maxPool2x2Grad: (arrays, scalars, start, end) => {
    const [x, dy, dx] = arrays as [Float32Array, Float32Array, Float32Array];
    const [inHeight, inWidth, outHeight, outWidth, channels] = scalars as [number, number, number, number, number];
    const rowStride = inWidth * channels;
    for (let n = start; n < end; n++) {
      let out = n * outHeight * outWidth * channels;
      for (let oy = 0; oy < outHeight; oy++) {
        for (let ox = 0; ox < outWidth; ox++, out += channels) {
          const p00 = ((n * inHeight + 2 * oy) * inWidth + 2 * ox) * channels;
          const p01 = p00 + channels;
          const p10 = p00 + rowStride;
          const p11 = p10 + channels;
          for (let c = 0; c < channels; c++) {
            let m = Number.NEGATIVE_INFINITY;
            let at = -1;
            const a = x[p00 + c]!, b = x[p01 + c]!, d = x[p10 + c]!, e = x[p11 + c]!;
            if (a > m) { m = a; at = 0; }
            if (b > m) { m = b; at = 1; }
            if (d > m) { m = d; at = 2; }
            if (e > m) { m = e; at = 3; }
            const g = dy[out + c]!;
            dx[p00 + c] = at === 0 ? g : 0;
            dx[p01 + c] = at === 1 ? g : 0;
            dx[p10 + c] = at === 2 ? g : 0;
            dx[p11 + c] = at === 3 ? g : 0;
          }
        }
      }
    }
  },
});

function maxPool2x2(x: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const y = float32Pool.alloc(info.batchSize * info.outHeight * info.outWidth * info.inChannels);
  runRange(tiledLoops.maxPool2x2, [x, y], tiledScalars(info), info.batchSize, x.length / Math.max(1, info.batchSize));
  return y;
}

function maxPool2x2Grad(x: Float32Array, dy: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  const exact = info.outHeight * 2 === info.inHeight && info.outWidth * 2 === info.inWidth;
  // When the windows cover the input exactly every element is written; else zero the rest first.
  const dx = exact ? float32Pool.alloc(x.length) : float32Pool.allocZeroed(x.length);
  runRange(tiledLoops.maxPool2x2Grad, [x, dy, dx], tiledScalars(info), info.batchSize, x.length / Math.max(1, info.batchSize));
  return dx;
}

/** Max or average pooling; returns y NHWC [batch, outH, outW, C]. */
export function pool2d(x: Float32Array, info: backend_util.Conv2DInfo, kind: "max" | "avg"): Float32Array {
  if (kind === "max" && isTiled2x2(info)) return maxPool2x2(x, info);
  const { batchSize, inHeight, inWidth, outHeight, outWidth, dilationHeight, dilationWidth } = info;
  const channels = info.inChannels;
  const y = float32Pool.alloc(batchSize * outHeight * outWidth * channels);
  const rowStride = inWidth * channels;
  let out = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageBase = n * inHeight * rowStride;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, out += channels) {
        const w = windowAt(info, oy, ox);
        const rowStart = alignedStart(w.rowStart, oy * info.strideHeight - info.padInfo.top, dilationHeight);
        const colStart = alignedStart(w.colStart, ox * info.strideWidth - info.padInfo.left, dilationWidth);
        y.fill(kind === "max" ? Number.NEGATIVE_INFINITY : 0, out, out + channels);
        let count = 0;
        for (let r = rowStart; r < w.rowEnd; r += dilationHeight) {
          for (let col = colStart; col < w.colEnd; col += dilationWidth) {
            const src = imageBase + r * rowStride + col * channels;
            if (kind === "max") {
              for (let c = 0; c < channels; c++) {
                const v = x[src + c]!;
                if (v > y[out + c]!) y[out + c] = v;
              }
            } else {
              for (let c = 0; c < channels; c++) y[out + c]! += x[src + c]!;
            }
            count++;
          }
        }
        if (kind === "avg") for (let c = 0; c < channels; c++) y[out + c] = y[out + c]! / count;
      }
    }
  }
  return y;
}

/** Gradient of max pooling: dy flows to the first maximum of each window. Returns dx like x. */
export function maxPool2dGrad(x: Float32Array, dy: Float32Array, info: backend_util.Conv2DInfo): Float32Array {
  if (isTiled2x2(info)) return maxPool2x2Grad(x, dy, info);
  const { batchSize, inHeight, inWidth, outHeight, outWidth, dilationHeight, dilationWidth } = info;
  const channels = info.inChannels;
  const dx = float32Pool.allocZeroed(x.length);
  const best = new Float32Array(channels);
  const bestIndex = new Int32Array(channels);
  const rowStride = inWidth * channels;
  let out = 0;
  for (let n = 0; n < batchSize; n++) {
    const imageBase = n * inHeight * rowStride;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++, out += channels) {
        const w = windowAt(info, oy, ox);
        const rowStart = alignedStart(w.rowStart, oy * info.strideHeight - info.padInfo.top, dilationHeight);
        const colStart = alignedStart(w.colStart, ox * info.strideWidth - info.padInfo.left, dilationWidth);
        best.fill(Number.NEGATIVE_INFINITY);
        bestIndex.fill(-1);
        for (let r = rowStart; r < w.rowEnd; r += dilationHeight) {
          for (let col = colStart; col < w.colEnd; col += dilationWidth) {
            const src = imageBase + r * rowStride + col * channels;
            for (let c = 0; c < channels; c++) {
              const v = x[src + c]!;
              if (v > best[c]!) {
                best[c] = v;
                bestIndex[c] = src + c;
              }
            }
          }
        }
        for (let c = 0; c < channels; c++) {
          const index = bestIndex[c]!;
          if (index >= 0) dx[index]! += dy[out + c]!;
        }
      }
    }
  }
  return dx;
}
