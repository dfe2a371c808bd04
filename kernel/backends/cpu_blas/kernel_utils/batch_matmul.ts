/**
 * Batched matrix multiply on BLAS: one sgemm per output batch, with numpy-style
 * broadcasting of the batch dimensions (as tfjs's matMul op allows). Layout:
 * row-major, a is [...batchA, M, K] (or [..., K, M] with transposeA), b is
 * [...batchB, K, N] (or [..., N, K] with transposeB); the result is
 * [...broadcast(batchA, batchB), M, N] float32.
 */
import type { Sgemm } from "../ffi/blas_library.js";
import { sizeOf } from "./kernel_support.js";
import { float32Pool } from "./buffer_pool.js";

/** Raised when two matmul operands do not fit together. */
export class MatMulShapeError extends Error {
  override name = "MatMulShapeError";
}

export interface MatMulResult {
  shape: number[];
  values: Float32Array;
  /** Columns of the result (N), the channel axis for a fused bias. */
  n: number;
}

function broadcastShapes(a: number[], b: number[], context: string): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = a[a.length - rank + i] ?? 1;
    const db = b[b.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) {
      throw new MatMulShapeError(`${context}: batch dimensions [${a}] and [${b}] cannot be broadcast together`);
    }
    out.push(da === 1 ? db : da);
  }
  return out;
}

/** Offset (in matrices) of output batch `index` into an operand with batch shape `shape`. */
function operandBatchIndex(index: number, outBatch: number[], shape: number[]): number {
  let result = 0;
  let stride = 1;
  let rest = index;
  for (let i = outBatch.length - 1; i >= 0; i--) {
    const coordinate = rest % outBatch[i]!;
    rest = Math.floor(rest / outBatch[i]!);
    const j = i - (outBatch.length - shape.length);
    if (j >= 0) {
      if (shape[j]! !== 1) result += coordinate * stride;
      stride *= shape[j]!;
    }
  }
  return result;
}

/** Multiplies a and b (float32 row-major storage) with BLAS. */
export function batchMatMul(
  sgemm: Sgemm,
  aShape: number[],
  aValues: Float32Array,
  bShape: number[],
  bValues: Float32Array,
  transposeA: boolean,
  transposeB: boolean,
): MatMulResult {
  const aRank = aShape.length;
  const bRank = bShape.length;
  if (aRank < 2 || bRank < 2) {
    throw new MatMulShapeError(`matMul needs rank >= 2 operands, got shapes [${aShape}] and [${bShape}]`);
  }
  const m = transposeA ? aShape[aRank - 1]! : aShape[aRank - 2]!;
  const kA = transposeA ? aShape[aRank - 2]! : aShape[aRank - 1]!;
  const kB = transposeB ? bShape[bRank - 1]! : bShape[bRank - 2]!;
  const n = transposeB ? bShape[bRank - 2]! : bShape[bRank - 1]!;
  if (kA !== kB) {
    throw new MatMulShapeError(
      `Error in matMul: inner shapes (${kA}) and (${kB}) of Tensors with shapes ${aShape} and ${bShape} ` +
        `and transposeA=${transposeA} and transposeB=${transposeB} must match.`,
    );
  }
  const k = kA;
  const batchA = aShape.slice(0, -2);
  const batchB = bShape.slice(0, -2);
  const outBatch = broadcastShapes(batchA, batchB, "matMul");
  const batches = sizeOf(outBatch);
  const values = float32Pool.alloc(batches * m * n);
  const shape = [...outBatch, m, n];
  if (values.length === 0 || k === 0) return { shape, values: values.fill(0), n };
  const lda = transposeA ? m : k;
  const ldb = transposeB ? k : n;
  const aStride = m * k;
  const bStride = k * n;
  const cStride = m * n;
  const sameBatchA = sizeOf(batchA) === batches && batchA.length === outBatch.length;
  const sameBatchB = sizeOf(batchB) === batches && batchB.length === outBatch.length;
  for (let i = 0; i < batches; i++) {
    const ia = sameBatchA ? i : operandBatchIndex(i, outBatch, batchA);
    const ib = sameBatchB ? i : operandBatchIndex(i, outBatch, batchB);
    const aView = batches === 1 ? aValues : aValues.subarray(ia * aStride, (ia + 1) * aStride);
    const bView = batches === 1 ? bValues : bValues.subarray(ib * bStride, (ib + 1) * bStride);
    const cView = batches === 1 ? values : values.subarray(i * cStride, (i + 1) * cStride);
    sgemm(transposeA, transposeB, m, n, k, 1, aView, lda, bView, ldb, 0, cView, n);
  }
  return { shape, values, n };
}
