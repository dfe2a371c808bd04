/**
 * Typed binding of cuBLAS (`libcublas.so.12` / `.13`, which loads cuBLASLt
 * beside it). Single-precision GEMM for matmul, batched matmul and the fused
 * matmul of dense layers, and the opt-in bf16 GEMM (bf16 inputs, fp32 accumulation). Every call is checked and a failure is a
 * {@link CublasError} naming the call and cuBLAS's status string.
 */
import koffi from "koffi";
import { CublasError } from "../errors";
import type { CudaHandle, DevicePointer } from "./driver_api";

type Out<T> = [T];

/** cublasOperation_t */
export const CUBLAS_OP_N = 0;
export const CUBLAS_OP_T = 1;
/** cublasMath_t: plain fp32, or fp32 matmuls on TF32 tensor cores. */
export const CUBLAS_DEFAULT_MATH = 0;
export const CUBLAS_TF32_TENSOR_OP_MATH = 3;
/** cudaDataType_t and cublasComputeType_t values of the bf16 GEMM (bf16 inputs, fp32 output and accumulation). */
export const CUDA_R_32F = 0;
export const CUDA_R_16BF = 14;
export const CUBLAS_COMPUTE_32F = 68;
export const CUBLAS_GEMM_DEFAULT = -1;

interface CublasFunctions {
  cublasCreate(handle: Out<CudaHandle | null>): number;
  cublasDestroy(handle: CudaHandle): number;
  cublasGetVersion(handle: CudaHandle, version: Out<number>): number;
  cublasSetStream(handle: CudaHandle, stream: CudaHandle): number;
  cublasSetMathMode(handle: CudaHandle, mode: number): number;
  cublasSgemm(
    handle: CudaHandle,
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: Float32Array,
    a: DevicePointer,
    lda: number,
    b: DevicePointer,
    ldb: number,
    beta: Float32Array,
    c: DevicePointer,
    ldc: number,
  ): number;
  cublasSgemmStridedBatched(
    handle: CudaHandle,
    transA: number,
    transB: number,
    m: number,
    n: number,
    k: number,
    alpha: Float32Array,
    a: DevicePointer,
    lda: number,
    strideA: number,
    b: DevicePointer,
    ldb: number,
    strideB: number,
    beta: Float32Array,
    c: DevicePointer,
    ldc: number,
    strideC: number,
    batchCount: number,
  ): number;
  cublasGemmStridedBatchedEx(
    handle: CudaHandle, transa: number, transb: number, m: number, n: number, k: number, alpha: Float32Array,
    a: DevicePointer, aType: number, lda: number, strideA: number, b: DevicePointer, bType: number, ldb: number, strideB: number,
    beta: Float32Array, c: DevicePointer, cType: number, ldc: number, strideC: number, batchCount: number, computeType: number, algo: number,
  ): number;
  cublasGetStatusString(status: number): string;
}

const DECLARATIONS: Record<keyof CublasFunctions, string> = {
  cublasCreate: "int cublasCreate_v2(_Out_ void **handle)",
  cublasDestroy: "int cublasDestroy_v2(void *handle)",
  cublasGetVersion: "int cublasGetVersion_v2(void *handle, _Out_ int *version)",
  cublasSetStream: "int cublasSetStream_v2(void *handle, void *stream)",
  cublasSetMathMode: "int cublasSetMathMode(void *handle, int mode)",
  cublasSgemm:
    "int cublasSgemm_v2(void *handle, int transa, int transb, int m, int n, int k, const float *alpha, uint64_t a, int lda, uint64_t b, int ldb, const float *beta, uint64_t c, int ldc)",
  cublasSgemmStridedBatched:
    "int cublasSgemmStridedBatched(void *handle, int transa, int transb, int m, int n, int k, const float *alpha, uint64_t a, int lda, int64_t strideA, uint64_t b, int ldb, int64_t strideB, const float *beta, uint64_t c, int ldc, int64_t strideC, int batchCount)",
  cublasGemmStridedBatchedEx:
    "int cublasGemmStridedBatchedEx(void *handle, int transa, int transb, int m, int n, int k, const float *alpha, uint64_t a, int aType, int lda, int64_t strideA, uint64_t b, int bType, int ldb, int64_t strideB, const float *beta, uint64_t c, int cType, int ldc, int64_t strideC, int batchCount, int computeType, int algo)",
  cublasGetStatusString: "const char *cublasGetStatusString(int status)",
};

/** Parameters of one column-major GEMM (cuBLAS's convention). */
export interface GemmCall {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  a: DevicePointer;
  lda: number;
  b: DevicePointer;
  ldb: number;
  c: DevicePointer;
  ldc: number;
  /** Batched when present: element strides between matrices (0 broadcasts one matrix). */
  batch?: { count: number; strideA: number; strideB: number; strideC: number };
}

/** cuBLAS, loaded, with one handle bound to the backend's stream. */
export class CublasApi {
  private readonly alpha = new Float32Array([1]);
  private readonly beta = new Float32Array([0]);

  private constructor(
    readonly path: string,
    private readonly raw: CublasFunctions,
    readonly handle: CudaHandle,
  ) {}

  /**
   * Loads cuBLAS from `path` (after `ltPath`, which it links against), creates
   * a handle in the current context and binds it to `stream`.
   */
  static load(path: string, ltPath: string | undefined, stream: CudaHandle): CublasApi {
    if (ltPath) koffi.load(ltPath);
    const library = koffi.load(path);
    const raw = {} as Record<string, unknown>;
    for (const [name, declaration] of Object.entries(DECLARATIONS)) raw[name] = library.func(declaration);
    const functions = raw as unknown as CublasFunctions;
    const handle: Out<CudaHandle | null> = [null];
    const status = functions.cublasCreate(handle);
    if (status !== 0) throw new CublasError("cublasCreate_v2", status, functions.cublasGetStatusString(status));
    const api = new CublasApi(path, functions, handle[0]!);
    api.check("cublasSetStream_v2", functions.cublasSetStream(api.handle, stream));
    return api;
  }

  private check(call: string, status: number): void {
    if (status !== 0) throw new CublasError(call, status, this.raw.cublasGetStatusString(status));
  }

  /** cuBLAS version as major*10000 + minor*100 + patch (e.g. 120904). */
  version(): number {
    const out: Out<number> = [0];
    this.check("cublasGetVersion_v2", this.raw.cublasGetVersion(this.handle, out));
    return out[0];
  }

  /** fp32 matmuls on TF32 tensor cores (faster, ~10-bit mantissa inputs) or in full fp32. */
  setTf32(enabled: boolean): void {
    this.check("cublasSetMathMode", this.raw.cublasSetMathMode(this.handle, enabled ? CUBLAS_TF32_TENSOR_OP_MATH : CUBLAS_DEFAULT_MATH));
  }

  /**
   * C = op(A) op(B) with A and B in bfloat16 (the caller converted them) and
   * C in fp32, accumulated in fp32 (cublasGemmStridedBatchedEx); strides in elements.
   */
  gemmBf16(call: GemmCall): void {
    const batch = call.batch ?? { count: 1, strideA: 0, strideB: 0, strideC: 0 };
    this.check(
      "cublasGemmStridedBatchedEx",
      this.raw.cublasGemmStridedBatchedEx(
        this.handle, call.transA ? CUBLAS_OP_T : CUBLAS_OP_N, call.transB ? CUBLAS_OP_T : CUBLAS_OP_N, call.m, call.n, call.k, this.alpha,
        call.a, CUDA_R_16BF, call.lda, batch.strideA, call.b, CUDA_R_16BF, call.ldb, batch.strideB, this.beta,
        call.c, CUDA_R_32F, call.ldc, batch.strideC, batch.count, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT,
      ),
    );
  }

  /** C = op(A) op(B), column-major, queued on the bound stream. */
  gemm(call: GemmCall): void {
    const transA = call.transA ? CUBLAS_OP_T : CUBLAS_OP_N;
    const transB = call.transB ? CUBLAS_OP_T : CUBLAS_OP_N;
    if (!call.batch) {
      this.check(
        "cublasSgemm_v2",
        this.raw.cublasSgemm(this.handle, transA, transB, call.m, call.n, call.k, this.alpha, call.a, call.lda, call.b, call.ldb, this.beta, call.c, call.ldc),
      );
      return;
    }
    const { count, strideA, strideB, strideC } = call.batch;
    this.check(
      "cublasSgemmStridedBatched",
      this.raw.cublasSgemmStridedBatched(
        this.handle, transA, transB, call.m, call.n, call.k, this.alpha,
        call.a, call.lda, strideA, call.b, call.ldb, strideB, this.beta, call.c, call.ldc, strideC, count,
      ),
    );
  }
}
