/**
 * Data-movement helpers over the `copy` kernel family: transpose, slice and
 * writing a tensor into a region of a larger one (concat).
 */
import { type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { ptr, struct } from "../device/cuda_device";
import { collapseDims, packStridedCopy, rowMajorStrides } from "./layout";

const THREADS = 256;

/** Queues a strided copy of the `dims` index space from `src` to `dst` (32-bit elements). */
export function copyStrided(
  backend: CudaBackend,
  dst: number,
  src: number,
  dims: number[],
  inStrides: number[],
  inOffset: number,
  outStrides: number[],
  outOffset: number,
): void {
  const n = util.sizeFromShape(dims);
  if (n === 0) return;
  const key = `${dims}|${inStrides}|${inOffset}|${outStrides}|${outOffset}`;
  let packed = stridedCopies.get(key);
  if (packed === undefined) {
    const layout = collapseDims(dims, [inStrides, outStrides]);
    const contiguous = layout.dims.length === 1 && layout.strides[0]![0] === 1 && layout.strides[1]![0] === 1;
    packed = contiguous ? null : packStridedCopy(n, layout, inOffset, outOffset, "strided copy");
    if (stridedCopies.size >= MAX_CACHED_LAYOUTS) stridedCopies.clear();
    stridedCopies.set(key, packed);
  }
  if (packed === null) {
    backend.device.copy(dst + outOffset * 4, src + inOffset * 4, n * 4);
    return;
  }
  backend.device.launch("copy", "copy_strided_b32", backend.device.gridFor(n, THREADS), THREADS, [ptr(dst), ptr(src), struct(packed)]);
}

/**
 * Packed strided-copy layouts by dims, strides and offsets (null: one
 * contiguous copy), packed once per shape; never written after packing.
 */
const stridedCopies = new Map<string, Buffer | null>();
const MAX_CACHED_LAYOUTS = 4096;

/** x with its axes permuted (output contiguous). */
export function transposeImpl(backend: CudaBackend, x: TensorInfo, perm: number[]): TensorInfo {
  const shape = perm.map((p) => x.shape[p]!);
  const out = backend.makeOutput(shape, x.dtype);
  const strides = rowMajorStrides(x.shape);
  copyStrided(backend, backend.pointer(out), backend.pointer(x), shape, perm.map((p) => strides[p]!), 0, rowMajorStrides(shape), 0);
  return out;
}

/** The box of `x` starting at `begin` with extent `size` (output contiguous). */
export function sliceImpl(backend: CudaBackend, x: TensorInfo, begin: number[], size: number[]): TensorInfo {
  const out = backend.makeOutput([...size], x.dtype);
  const strides = rowMajorStrides(x.shape);
  const offset = begin.reduce((sum, b, d) => sum + b * strides[d]!, 0);
  copyStrided(backend, backend.pointer(out), backend.pointer(x), [...size], strides, offset, rowMajorStrides(size), 0);
  return out;
}

/** A new tensor with `x`'s data under another shape (a copy, so the two can be disposed independently). */
export function reshapeCopy(backend: CudaBackend, x: TensorInfo, shape: number[]): TensorInfo {
  const out = backend.makeOutput(shape, x.dtype);
  backend.device.copy(backend.pointer(out), backend.pointer(x), util.sizeFromShape(shape) * 4);
  return out;
}
