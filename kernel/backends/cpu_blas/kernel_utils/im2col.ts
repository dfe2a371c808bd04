/**
 * im2col / col2im for NHWC convolutions, the bridge from conv2d to sgemm.
 *
 * For a chunk of images, `cols` is a row-major matrix [images * outH * outW,
 * filterH * filterW * inC]: row (n, oy, ox) holds the input patch that output
 * pixel sees, in the filter's own (fy, fx, c) order, so that
 * cols x filter[K, outC] is the convolution. Out-of-image taps are zeros.
 * col2im is the adjoint: it scatters-adds such a matrix back into an image
 * (the input gradient). Strides, explicit padding and dilation as in
 * `backend_util.Conv2DInfo`.
 */
import type { backend_util } from "@tensorflow/tfjs-core";

/** Scratch buffers reused across calls so that training steps do not churn the allocator. */
const scratch = new Map<string, Float32Array>();

/** A zero-free scratch Float32Array of at least `length` floats under `key` (contents undefined). */
export function scratchBuffer(key: string, length: number): Float32Array {
  let buffer = scratch.get(key);
  if (!buffer || buffer.length < length) {
    buffer = new Float32Array(length);
    scratch.set(key, buffer);
  }
  return buffer.subarray(0, length);
}

/** Releases the scratch buffers (e.g. after a benchmark). */
export function releaseScratch(): void {
  scratch.clear();
}

/** Columns of the im2col matrix: filterH * filterW * inC. */
export function patchSize(info: backend_util.Conv2DInfo): number {
  return info.filterHeight * info.filterWidth * info.inChannels;
}

/** Images per chunk so that the cols matrix stays near `maxFloats` (at least one image). */
export function imagesPerChunk(info: backend_util.Conv2DInfo, maxFloats = 1 << 22): number {
  const perImage = info.outHeight * info.outWidth * patchSize(info);
  return Math.max(1, Math.min(info.batchSize, Math.floor(maxFloats / Math.max(1, perImage))));
}

/** True when the convolution is a plain per-pixel matmul (1x1 filter, stride 1, no padding). */
export function isPointwise(info: backend_util.Conv2DInfo): boolean {
  return (
    info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 && info.padInfo.bottom === 0 && info.padInfo.right === 0
  );
}

/** Fills cols for images [first, first + count) of x (NHWC). */
export function im2col(x: Float32Array, info: backend_util.Conv2DInfo, first: number, count: number, cols: Float32Array): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const k = patchSize(info);
  const rowLength = filterWidth * inChannels;
  let row = 0;
  for (let n = first; n < first + count; n++) {
    const imageBase = n * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      const yCorner = oy * strideHeight - padTop;
      for (let ox = 0; ox < outWidth; ox++, row++) {
        const xCorner = ox * strideWidth - padLeft;
        const rowBase = row * k;
        for (let fy = 0; fy < filterHeight; fy++) {
          const y = yCorner + fy * dilationHeight;
          const colBase = rowBase + fy * rowLength;
          if (y < 0 || y >= inHeight) {
            cols.fill(0, colBase, colBase + rowLength);
            continue;
          }
          const lineBase = imageBase + y * inWidth * inChannels;
          if (inChannels === 1) {
            for (let fx = 0; fx < filterWidth; fx++) {
              const xi = xCorner + fx * dilationWidth;
              cols[colBase + fx] = xi >= 0 && xi < inWidth ? x[lineBase + xi]! : 0;
            }
            continue;
          }
          for (let fx = 0; fx < filterWidth; fx++) {
            const xi = xCorner + fx * dilationWidth;
            const dst = colBase + fx * inChannels;
            if (xi < 0 || xi >= inWidth) {
              cols.fill(0, dst, dst + inChannels);
            } else {
              const src = lineBase + xi * inChannels;
              for (let c = 0; c < inChannels; c++) cols[dst + c] = x[src + c]!;
            }
          }
        }
      }
    }
  }
}

/** Adds cols (the layout of {@link im2col}) into images [first, first + count) of dx (NHWC). */
export function col2imAdd(cols: Float32Array, info: backend_util.Conv2DInfo, first: number, count: number, dx: Float32Array): void {
  const { inHeight, inWidth, inChannels, outHeight, outWidth, filterHeight, filterWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth } = info;
  const padTop = info.padInfo.top;
  const padLeft = info.padInfo.left;
  const k = patchSize(info);
  const rowLength = filterWidth * inChannels;
  let row = 0;
  for (let n = first; n < first + count; n++) {
    const imageBase = n * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      const yCorner = oy * strideHeight - padTop;
      for (let ox = 0; ox < outWidth; ox++, row++) {
        const xCorner = ox * strideWidth - padLeft;
        const rowBase = row * k;
        for (let fy = 0; fy < filterHeight; fy++) {
          const y = yCorner + fy * dilationHeight;
          if (y < 0 || y >= inHeight) continue;
          const colBase = rowBase + fy * rowLength;
          const lineBase = imageBase + y * inWidth * inChannels;
          for (let fx = 0; fx < filterWidth; fx++) {
            const xi = xCorner + fx * dilationWidth;
            if (xi < 0 || xi >= inWidth) continue;
            const src = colBase + fx * inChannels;
            const dst = lineBase + xi * inChannels;
            for (let c = 0; c < inChannels; c++) dx[dst + c]! += cols[src + c]!;
          }
        }
      }
    }
  }
}
