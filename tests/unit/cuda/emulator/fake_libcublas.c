/*
 * A stand-in for libcublas for tests without a GPU: single-precision GEMM as
 * the BLAS reference defines it (column-major, C = alpha op(A) op(B) + beta C,
 * op = identity or transpose), with the cuBLAS v2 entry points the backend
 * binds. Device pointers are host pointers (see fake_libcuda.c).
 */
#include <stddef.h>
#include <stdint.h>

typedef int status_t;
static int handle_storage;

status_t cublasCreate_v2(void **handle) { *handle = &handle_storage; return 0; }
status_t cublasDestroy_v2(void *handle) { (void)handle; return 0; }
status_t cublasGetVersion_v2(void *handle, int *version) { (void)handle; *version = 120900; return 0; }
status_t cublasSetStream_v2(void *handle, void *stream) { (void)handle; (void)stream; return 0; }
status_t cublasSetMathMode(void *handle, int mode) { (void)handle; return mode == 0 || mode == 3 ? 0 : 7; }
const char *cublasGetStatusString(status_t status) { return status == 7 ? "CUBLAS_STATUS_INVALID_VALUE" : "CUBLAS_STATUS_SUCCESS"; }

static float element(const float *m, int ld, int transposed, int row, int col) {
  return transposed ? m[(size_t)row * ld + col] : m[(size_t)col * ld + row];
}

static status_t gemm(int ta, int tb, int m, int n, int k, const float *alpha, const float *a, int lda, const float *b, int ldb,
                     const float *beta, float *c, int ldc) {
  if (m < 0 || n < 0 || k < 0 || (ta != 0 && ta != 1) || (tb != 0 && tb != 1)) return 7;
  if (lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) return 7;
  for (int j = 0; j < n; j++) {
    for (int i = 0; i < m; i++) {
      double sum = 0;
      for (int p = 0; p < k; p++) sum += (double)element(a, lda, ta, i, p) * element(b, ldb, tb, p, j);
      float *out = &c[(size_t)j * ldc + i];
      *out = (float)(*alpha * sum + (*beta == 0.0f ? 0.0f : *beta * *out));
    }
  }
  return 0;
}

status_t cublasSgemm_v2(void *handle, int ta, int tb, int m, int n, int k, const float *alpha, const float *a, int lda, const float *b, int ldb,
                        const float *beta, float *c, int ldc) {
  (void)handle;
  return gemm(ta, tb, m, n, k, alpha, a, lda, b, ldb, beta, c, ldc);
}

status_t cublasSgemmStridedBatched(void *handle, int ta, int tb, int m, int n, int k, const float *alpha, const float *a, int lda, int64_t sa,
                                   const float *b, int ldb, int64_t sb, const float *beta, float *c, int ldc, int64_t sc, int count) {
  (void)handle;
  for (int i = 0; i < count; i++) {
    status_t status = gemm(ta, tb, m, n, k, alpha, a + i * sa, lda, b + i * sb, ldb, beta, c + i * sc, ldc);
    if (status) return status;
  }
  return 0;
}

/* cublasGemmStridedBatchedEx for the opt-in bf16 matmul only: A and B bfloat16 (14), C float (0), fp32 compute (68). */
static float bf16_element(const uint16_t *m, int ld, int transposed, int row, int col) {
  uint32_t bits = (uint32_t)(transposed ? m[(size_t)row * ld + col] : m[(size_t)col * ld + row]) << 16;
  float value;
  __builtin_memcpy(&value, &bits, 4);
  return value;
}

status_t cublasGemmStridedBatchedEx(void *handle, int ta, int tb, int m, int n, int k, const float *alpha, const void *a, int atype, int lda, int64_t sa,
                                    const void *b, int btype, int ldb, int64_t sb, const float *beta, void *c, int ctype, int ldc, int64_t sc, int count,
                                    int compute, int algo) {
  (void)handle; (void)algo;
  if (atype != 14 || btype != 14 || ctype != 0 || compute != 68) return 7;
  if (m < 0 || n < 0 || k < 0 || lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) return 7;
  for (int i = 0; i < count; i++) {
    const uint16_t *ai = (const uint16_t *)a + i * sa, *bi = (const uint16_t *)b + i * sb;
    float *ci = (float *)c + i * sc;
    for (int col = 0; col < n; col++) {
      for (int row = 0; row < m; row++) {
        double sum = 0;
        for (int p = 0; p < k; p++) sum += (double)bf16_element(ai, lda, ta, row, p) * bf16_element(bi, ldb, tb, p, col);
        float *out = &ci[(size_t)col * ldc + row];
        *out = (float)(*alpha * sum + (*beta == 0.0f ? 0.0f : *beta * *out));
      }
    }
  }
  return 0;
}
