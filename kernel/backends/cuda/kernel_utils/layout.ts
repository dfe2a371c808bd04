/**
 * Host-side shape arithmetic for the kernels: row-major strides, broadcast
 * strides, collapsing dimensions that can be walked as one, and packing the
 * by-value structs declared in `../sources/common.ts` (keep both in step).
 */
import { CudaUnsupportedError } from "../errors";
import { MAX_RANK } from "../sources/common";

/** Row-major strides (in elements) of a contiguous tensor. */
export function rowMajorStrides(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d]!;
  }
  return strides;
}

/** Strides that read a contiguous `inShape` tensor as `outShape` by numpy broadcasting (0 on broadcast axes). */
export function broadcastStrides(inShape: readonly number[], outShape: readonly number[]): number[] {
  const own = rowMajorStrides(inShape);
  const offset = outShape.length - inShape.length;
  if (offset < 0) throw new CudaUnsupportedError(`cannot broadcast shape [${inShape}] to the smaller rank of [${outShape}]`);
  return outShape.map((dim, d) => {
    const i = d - offset;
    if (i < 0) return 0;
    const inDim = inShape[i]!;
    if (inDim === dim) return inDim === 1 ? 0 : own[i]!;
    if (inDim === 1) return 0;
    throw new CudaUnsupportedError(`cannot broadcast shape [${inShape}] to [${outShape}]`);
  });
}

/** An index space with one stride list per operand, after collapsing. */
export interface CollapsedLayout {
  dims: number[];
  strides: number[][];
}

/**
 * Drops size-1 dimensions and merges neighbours that every operand walks
 * contiguously (stride[d] == stride[d+1] * dims[d+1]), so a same-shape
 * element-wise op becomes rank 1. Always returns rank >= 1.
 */
export function collapseDims(dims: readonly number[], strides: readonly (readonly number[])[]): CollapsedLayout {
  const outDims: number[] = [];
  const outStrides: number[][] = strides.map(() => []);
  for (let d = 0; d < dims.length; d++) {
    const dim = dims[d]!;
    if (dim === 1) continue;
    const last = outDims.length - 1;
    const mergeable = last >= 0 && strides.every((s, k) => outStrides[k]![last] === s[d]! * dim);
    if (mergeable) {
      outDims[last] = outDims[last]! * dim;
      strides.forEach((s, k) => (outStrides[k]![last] = s[d]!));
    } else {
      outDims.push(dim);
      strides.forEach((s, k) => outStrides[k]!.push(s[d]!));
    }
  }
  if (outDims.length === 0) return { dims: [1], strides: strides.map(() => [0]) };
  return { dims: outDims, strides: outStrides };
}

function checkRank(layout: CollapsedLayout, what: string): void {
  if (layout.dims.length > MAX_RANK) {
    throw new CudaUnsupportedError(`${what}: the cuda backend handles up to ${MAX_RANK} non-collapsible dimensions, got [${layout.dims}]`);
  }
}

/** Writes an integer of magnitude below 2^53 (negative strides too) as a little-endian int64 (without BigInt: this runs for every launch). */
function writeInt64(buffer: Buffer, offset: number, value: number): void {
  buffer.writeUInt32LE(value >>> 0, offset);
  buffer.writeInt32LE(Math.floor(value / 0x100000000), offset + 4);
}

function writeArray(buffer: Buffer, slot: number, values: readonly number[]): void {
  for (let i = 0; i < MAX_RANK; i++) writeInt64(buffer, (slot + i) * 8, values[i] ?? 0);
}

/** Packs `struct broadcast2` / `broadcast3` for `n` output elements. */
export function packBroadcast(n: number, layout: CollapsedLayout, what: string): Buffer {
  checkRank(layout, what);
  const buffer = Buffer.alloc((2 + (1 + layout.strides.length) * MAX_RANK) * 8);
  writeInt64(buffer, 0, layout.dims.length);
  writeInt64(buffer, 8, n);
  writeArray(buffer, 2, layout.dims);
  layout.strides.forEach((s, k) => writeArray(buffer, 2 + (1 + k) * MAX_RANK, s));
  return buffer;
}

/** Packs `struct strided_copy`. `layout.strides` is [inStrides, outStrides]. */
export function packStridedCopy(n: number, layout: CollapsedLayout, inOffset: number, outOffset: number, what: string): Buffer {
  checkRank(layout, what);
  const buffer = Buffer.alloc((4 + 3 * MAX_RANK) * 8);
  writeInt64(buffer, 0, layout.dims.length);
  writeInt64(buffer, 8, n);
  writeInt64(buffer, 16, inOffset);
  writeInt64(buffer, 24, outOffset);
  writeArray(buffer, 4, layout.dims);
  writeArray(buffer, 4 + MAX_RANK, layout.strides[0]!);
  writeArray(buffer, 4 + 2 * MAX_RANK, layout.strides[1]!);
  return buffer;
}
