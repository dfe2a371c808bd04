/**
 * Batched matrix multiply through cuBLAS SGEMM. tfjs tensors are row-major,
 * cuBLAS is column-major: a row-major [r, c] matrix is the column-major
 * [c, r] matrix with leading dimension c, so C = op(A) op(B) is computed as
 * C^T = op(B)^T op(A)^T with the operands swapped and no copy.
 */
import { backend_util, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { CudaUnsupportedError } from "../errors";
import { castImpl } from "./elementwise";

/** a @ b over the last two axes, batch axes broadcast when one side has a single batch. */
export function batchMatMulImpl(backend: CudaBackend, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  if (a.dtype !== "float32" || b.dtype !== "float32") {
    const fa = castImpl(backend, a, "float32");
    const fb = castImpl(backend, b, "float32");
    const product = batchMatMulImpl(backend, fa, fb, transposeA, transposeB);
    const out = castImpl(backend, product, a.dtype);
    for (const t of [fa, fb, product]) backend.disposeIntermediateTensorInfo(t);
    return out;
  }
  const rankA = a.shape.length;
  const rankB = b.shape.length;
  const m = transposeA ? a.shape[rankA - 1]! : a.shape[rankA - 2]!;
  const k = transposeA ? a.shape[rankA - 2]! : a.shape[rankA - 1]!;
  const kB = transposeB ? b.shape[rankB - 1]! : b.shape[rankB - 2]!;
  const n = transposeB ? b.shape[rankB - 2]! : b.shape[rankB - 1]!;
  if (k !== kB) {
    throw new CudaUnsupportedError(`matMul: inner dimensions differ: a [${a.shape}] (transposeA=${transposeA}) and b [${b.shape}] (transposeB=${transposeB})`);
  }
  const outerA = a.shape.slice(0, -2);
  const outerB = b.shape.slice(0, -2);
  const batchA = util.sizeFromShape(outerA);
  const batchB = util.sizeFromShape(outerB);
  if (batchA !== batchB && batchA !== 1 && batchB !== 1) {
    throw new CudaUnsupportedError(`matMul: batch shapes [${outerA}] and [${outerB}] must match or one must hold a single matrix`);
  }
  const outer = backend_util.assertAndGetBroadcastShape(outerA, outerB);
  const out = backend.makeOutput([...outer, m, n], "float32");
  const batch = Math.max(batchA, batchB);
  if (m * n * batch === 0) return out;
  if (k === 0) {
    backend.device.fill32(backend.pointer(out), 0, m * n * batch);
    return out;
  }
  backend.device.cublas.gemm({
    transA: transposeB,
    transB: transposeA,
    m: n,
    n: m,
    k,
    a: backend.pointer(b),
    lda: transposeB ? k : n,
    b: backend.pointer(a),
    ldb: transposeA ? m : k,
    c: backend.pointer(out),
    ldc: n,
    batch: batch === 1 ? undefined : { count: batch, strideA: batchB === 1 ? 0 : k * n, strideB: batchA === 1 ? 0 : m * k, strideC: m * n },
  });
  return out;
}
