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
import { i64, ptr } from "../device/cuda_device";
import type { GemmCall } from "../ffi/cublas_api";

/** fp32 `x` as bfloat16 in a temporary device block (2 bytes per element); release it after use. */
function toBf16(backend: CudaBackend, x: TensorInfo) {
  const n = util.sizeFromShape(x.shape);
  const block = backend.device.allocator.allocate(n * 2);
  backend.device.launch("elementwise", "cast_f32_bf16", backend.device.gridFor(n), 256, [ptr(block.pointer), ptr(backend.pointer(x)), i64(n)]);
  return block;
}

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
  const call: GemmCall = {
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
  };
  if (!backend.bf16) {
    backend.device.cublas.gemm(call);
    return out;
  }
  // Opt-in bf16 (TSGPU_CUDA_BF16=1 / setBf16): inputs rounded to bfloat16, fp32 accumulation and
  // output. The temporary blocks go back at once: everything runs in order on one stream.
  const a16 = toBf16(backend, b);
  const b16 = toBf16(backend, a);
  backend.device.cublas.gemmBf16({ ...call, a: a16.pointer, b: b16.pointer });
  backend.device.allocator.release(a16);
  backend.device.allocator.release(b16);
  return out;
}
