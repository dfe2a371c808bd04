/**
 * C declarations shared by every kernel family: the strided-layout structs
 * passed by value to kernels (mirrored by `kernel/backends/cuda/kernel_utils/layout.ts`, which packs
 * them; keep both in step) and the grid-stride loop helper.
 *
 * MAX_RANK is 6 (as tfjs's GPU backends): shapes are collapsed on the host
 * first, so most launches use rank 1 or 2.
 */
export const MAX_RANK = 6;

export const COMMON_HEADER = `
#define MAX_RANK ${MAX_RANK}
typedef long long i64;

// Mirrored by kernel/backends/cuda/kernel_utils/layout.ts (packBroadcast2): 2 + 3 * MAX_RANK int64 fields.
struct broadcast2 { i64 rank; i64 n; i64 dims[MAX_RANK]; i64 sa[MAX_RANK]; i64 sb[MAX_RANK]; };
// Mirrored by kernel/backends/cuda/kernel_utils/layout.ts (packBroadcast3): 2 + 4 * MAX_RANK int64 fields.
struct broadcast3 { i64 rank; i64 n; i64 dims[MAX_RANK]; i64 sa[MAX_RANK]; i64 sb[MAX_RANK]; i64 sc[MAX_RANK]; };
// Mirrored by kernel/backends/cuda/kernel_utils/layout.ts (packStridedCopy): 4 + 3 * MAX_RANK int64 fields.
struct strided_copy { i64 rank; i64 n; i64 in_offset; i64 out_offset; i64 dims[MAX_RANK]; i64 in_strides[MAX_RANK]; i64 out_strides[MAX_RANK]; };

#define GRID_STRIDE_LOOP(i, n) \\
  for (i64 i = (i64)blockIdx.x * blockDim.x + threadIdx.x; i < (n); i += (i64)gridDim.x * blockDim.x)
`;
