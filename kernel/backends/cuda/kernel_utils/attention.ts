/**
 * The matmuls of the fused causal attention (kernel/fused/gpt/causal_attention.ts) as cuBLAS
 * strided-batched GEMMs over the heads of one batch element, reading q, k, v (and writing dq, dk, dv)
 * as strided views of the [B, T, 3C] qkv tensor: head h of batch b starts at b*T*3C + h*D, rows 3C apart.
 *
 * Each product is written row-major; {@link rowMajorHeadsGemm} turns it into cuBLAS's column-major call
 * (C^T = op(B)^T op(A)^T, operands swapped, no copy), as kernel_utils/matmul.ts does.
 */
import type { DevicePointer } from "../ffi/driver_api";
import type { CudaBackend } from "../backend_cuda";

/** One row-major operand per head: the first head's pointer, the row stride and the stride between heads (elements). */
export interface HeadOperand {
  pointer: DevicePointer;
  rowStride: number;
  headStride: number;
}

/** out[h] (rows x cols) = op(a[h]) (rows x inner) op(b[h]) (inner x cols) for every head h, row-major. */
export function rowMajorHeadsGemm(
  cuda: CudaBackend, heads: number, rows: number, cols: number, inner: number,
  a: HeadOperand, transposeA: boolean, b: HeadOperand, transposeB: boolean, out: HeadOperand,
): void {
  cuda.device.cublas.gemm({
    transA: transposeB, transB: transposeA, m: cols, n: rows, k: inner,
    a: b.pointer, lda: b.rowStride, b: a.pointer, ldb: a.rowStride, c: out.pointer, ldc: out.rowStride,
    batch: { count: heads, strideA: b.headStride, strideB: a.headStride, strideC: out.headStride },
  });
}

/** The attention sizes and the views of one batch element. */
export class AttentionViews {
  readonly headSize: number;
  readonly qkvRow: number;

  constructor(readonly batch: number, readonly time: number, readonly channels: number, readonly heads: number) {
    this.headSize = channels / heads;
    this.qkvRow = 3 * channels;
  }

  /** Third `part` (0 q, 1 k, 2 v) of qkv (or dqkv) at batch element b. */
  qkvPart(base: DevicePointer, b: number, part: 0 | 1 | 2): HeadOperand {
    return { pointer: base + 4 * (b * this.time * this.qkvRow + part * this.channels), rowStride: this.qkvRow, headStride: this.headSize };
  }

  /** The [B, T, C] output (or dy) at batch element b, heads merged. */
  merged(base: DevicePointer, b: number): HeadOperand {
    return { pointer: base + 4 * b * this.time * this.channels, rowStride: this.channels, headStride: this.headSize };
  }

  /** The [B, heads, T, T] probabilities (or scores) at batch element b. */
  square(base: DevicePointer, b: number): HeadOperand {
    return { pointer: base + 4 * b * this.heads * this.time * this.time, rowStride: this.time, headStride: this.time * this.time };
  }
}
