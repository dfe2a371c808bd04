/**
 * The GPT's fused kernels (contracts in kernel/fused/gpt/): LayerNorm and its
 * gradient, bias + GELU and its gradient, attention's causal softmax and its
 * gradient (the matmuls around them are cuBLAS strided-batched GEMMs), the
 * embedding scatter-add, the vocabulary cross-entropy, AdamW and dropout (its mask hashed from the
 * seed and the element's index, kernel/fused/gpt/dropout.ts; nothing uploaded, nothing kept).
 *
 * Layout: every tensor contiguous row-major, f32 (token ids and targets i32).
 * Row kernels (layer_norm_*, causal_softmax_*, vocab_cross_entropy_f32) run one
 * block per row, grid-stride over rows, and combine their partials with warp
 * shuffles, then one partial per warp in shared memory: the block size must be
 * a multiple of 32 up to 1024 (GPT_THREADS; the CPU emulator's smaller blocks
 * make one warp).
 * Column sums (the weight and bias gradients) run in two stages, one thread
 * per (chunk of rows, column) then one per column over the chunks, rows summed
 * in order, so they are deterministic. Elementwise kernels are
 * grid-stride loops. Softmax and log-sum-exp subtract the row max first.
 */
import { COMMON_HEADER } from "./common";

/** Threads per block of the row kernels (a power of two). */
export const GPT_THREADS = 256;

/** The family's CUDA C source. */
export function gptSource(): string {
  return `${COMMON_HEADER}
#define GPT_THREADS ${GPT_THREADS}
#define GELU_K 0.7978845608028654f
#define GELU_CUBIC 0.044715f

struct GptSum { __device__ static float apply(float a, float b) { return a + b; } };
struct GptMax { __device__ static float apply(float a, float b) { return fmaxf(a, b); } };

template <class Op> __device__ float gpt_warp_reduce(float value) {
  for (int offset = warpSize / 2; offset > 0; offset >>= 1) value = Op::apply(value, __shfl_xor_sync(0xffffffffu, value, offset));
  return value;
}

// Op over every thread's value in the block, returned to every thread: warp shuffles, one partial per
// warp in partial (32 floats), then the partials reduced by each warp (identity pads the missing warps).
// Every thread must call it.
template <class Op> __device__ float gpt_block_reduce(float value, float* partial, float identity) {
  const int lane = threadIdx.x % warpSize, warp = threadIdx.x / warpSize, warps = blockDim.x / warpSize;
  value = gpt_warp_reduce<Op>(value);
  if (lane == 0) partial[warp] = value;
  __syncthreads();
  value = gpt_warp_reduce<Op>(lane < warps ? partial[lane] : identity);
  __syncthreads(); // partial is reused by the next reduction
  return value;
}

__device__ float gpt_block_sum(float value, float* partial) { return gpt_block_reduce<GptSum>(value, partial, 0.0f); }
__device__ float gpt_block_max(float value, float* partial) { return gpt_block_reduce<GptMax>(value, partial, -__int_as_float(0x7f800000)); }

// y = (x - mean) * rstd * weight + bias per row of x [rows, C]; mean and rstd [rows] kept for the gradient.
// The variance is the mean of (x - mean)^2 (two passes: no cancellation).
extern "C" __global__ void layer_norm_f32(float* __restrict__ y, float* __restrict__ mean_out, float* __restrict__ rstd_out,
                                          const float* __restrict__ x, const float* __restrict__ weight, const float* __restrict__ bias,
                                          i64 rows, i64 channels, float epsilon) {
  __shared__ float partial[32];
  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
    const float* xr = x + row * channels;
    float* yr = y + row * channels;
    float s = 0.0f;
    for (i64 j = threadIdx.x; j < channels; j += blockDim.x) s += xr[j];
    const float mean = gpt_block_sum(s, partial) / (float)channels;
    float q = 0.0f;
    for (i64 j = threadIdx.x; j < channels; j += blockDim.x) { const float d = xr[j] - mean; q += d * d; }
    const float rstd = rsqrtf(gpt_block_sum(q, partial) / (float)channels + epsilon);
    for (i64 j = threadIdx.x; j < channels; j += blockDim.x) yr[j] = (xr[j] - mean) * rstd * weight[j] + bias[j];
    if (threadIdx.x == 0) { mean_out[row] = mean; rstd_out[row] = rstd; }
  }
}

// dx = rstd * (g - mean(g) - xhat * mean(g * xhat)) per row, g = dy * weight, xhat = (x - mean) * rstd.
extern "C" __global__ void layer_norm_grad_f32(float* __restrict__ dx, const float* __restrict__ dy, const float* __restrict__ x,
                                               const float* __restrict__ weight, const float* __restrict__ mean, const float* __restrict__ rstd,
                                               i64 rows, i64 channels) {
  __shared__ float partial[32];
  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
    const float* xr = x + row * channels;
    const float* dyr = dy + row * channels;
    const float m = mean[row], r = rstd[row];
    float sg = 0.0f, sgx = 0.0f;
    for (i64 j = threadIdx.x; j < channels; j += blockDim.x) {
      const float g = dyr[j] * weight[j];
      sg += g;
      sgx += g * (xr[j] - m) * r;
    }
    const float mean_g = gpt_block_sum(sg, partial) / (float)channels;
    const float mean_gx = gpt_block_sum(sgx, partial) / (float)channels;
    for (i64 j = threadIdx.x; j < channels; j += blockDim.x) {
      const float xhat = (xr[j] - m) * r;
      dx[row * channels + j] = r * (dyr[j] * weight[j] - mean_g - xhat * mean_gx);
    }
  }
}

// Partial dweight = sum of dy * xhat and dbias = sum of dy over chunks of rows_per_chunk rows:
// out[chunk, c] for chunk < ceil(rows / rows_per_chunk), one thread per (chunk, c), rows in order.
extern "C" __global__ void layer_norm_param_grad_f32(float* __restrict__ dweight, float* __restrict__ dbias, const float* __restrict__ dy,
                                                     const float* __restrict__ x, const float* __restrict__ mean, const float* __restrict__ rstd,
                                                     i64 rows, i64 channels, i64 rows_per_chunk) {
  const i64 chunks = (rows + rows_per_chunk - 1) / rows_per_chunk;
  GRID_STRIDE_LOOP(i, chunks * channels) {
    const i64 chunk = i / channels, c = i % channels;
    const i64 end = (chunk + 1) * rows_per_chunk < rows ? (chunk + 1) * rows_per_chunk : rows;
    float sw = 0.0f, sb = 0.0f;
    for (i64 row = chunk * rows_per_chunk; row < end; ++row) {
      const float d = dy[row * channels + c];
      sw += d * (x[row * channels + c] - mean[row]) * rstd[row];
      sb += d;
    }
    dweight[i] = sw;
    dbias[i] = sb;
  }
}

// Column sums of in [rows, columns] over chunks of rows_per_chunk rows: out[chunk, c], one thread each, rows in order
// (rows_per_chunk = rows gives the plain column sums).
extern "C" __global__ void column_sum_f32(float* __restrict__ out, const float* __restrict__ in, i64 rows, i64 columns, i64 rows_per_chunk) {
  const i64 chunks = (rows + rows_per_chunk - 1) / rows_per_chunk;
  GRID_STRIDE_LOOP(i, chunks * columns) {
    const i64 chunk = i / columns, c = i % columns;
    const i64 end = (chunk + 1) * rows_per_chunk < rows ? (chunk + 1) * rows_per_chunk : rows;
    float s = 0.0f;
    for (i64 row = chunk * rows_per_chunk; row < end; ++row) s += in[row * columns + c];
    out[i] = s;
  }
}

// y = gelu(x + bias), tanh approximation; x [n / C, C], bias [C].
extern "C" __global__ void bias_gelu_f32(float* __restrict__ y, const float* __restrict__ x, const float* __restrict__ bias, i64 n, i64 channels) {
  GRID_STRIDE_LOOP(i, n) {
    const float u = x[i] + bias[i % channels];
    const float t = tanhf(GELU_K * (u + GELU_CUBIC * u * u * u));
    y[i] = 0.5f * u * (1.0f + t);
  }
}

// dx = dy * gelu'(x + bias) (u and tanh recomputed); dbias comes from column_sum_f32 over dx.
extern "C" __global__ void bias_gelu_grad_f32(float* __restrict__ dx, const float* __restrict__ dy, const float* __restrict__ x,
                                              const float* __restrict__ bias, i64 n, i64 channels) {
  GRID_STRIDE_LOOP(i, n) {
    const float u = x[i] + bias[i % channels];
    const float t = tanhf(GELU_K * (u + GELU_CUBIC * u * u * u));
    const float local = 0.5f * (1.0f + t) + 0.5f * u * (1.0f - t * t) * GELU_K * (1.0f + 3.0f * GELU_CUBIC * u * u);
    dx[i] = dy[i] * local;
  }
}

// In place over scores [rows, time] (rows = batch * heads * time; row r is query t = r % time):
// probs = softmax(scores * scale) over keys s <= t, 0 for s > t (the causal mask).
extern "C" __global__ void causal_softmax_f32(float* __restrict__ probs, i64 rows, i64 time, float scale) {
  __shared__ float partial[32];
  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
    float* p = probs + row * time;
    const i64 visible = row % time + 1;
    float m = -__int_as_float(0x7f800000);
    for (i64 s = threadIdx.x; s < visible; s += blockDim.x) m = fmaxf(m, p[s] * scale);
    m = gpt_block_max(m, partial);
    float sum = 0.0f;
    for (i64 s = threadIdx.x; s < visible; s += blockDim.x) sum += expf(p[s] * scale - m);
    const float inv = 1.0f / gpt_block_sum(sum, partial);
    for (i64 s = threadIdx.x; s < time; s += blockDim.x) p[s] = s < visible ? expf(p[s] * scale - m) * inv : 0.0f;
  }
}

// In place over dprobs [rows, time]: dscores = probs * (dprobs - sum(dprobs * probs)) * scale (0 where masked, as probs).
extern "C" __global__ void causal_softmax_grad_f32(float* __restrict__ dscores, const float* __restrict__ probs, i64 rows, i64 time, float scale) {
  __shared__ float partial[32];
  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
    float* d = dscores + row * time;
    const float* p = probs + row * time;
    float s = 0.0f;
    for (i64 j = threadIdx.x; j < time; j += blockDim.x) s += d[j] * p[j];
    const float dot = gpt_block_sum(s, partial);
    for (i64 j = threadIdx.x; j < time; j += blockDim.x) d[j] = p[j] * (d[j] - dot) * scale;
  }
}

// dtable (zeroed first) [vocab, C] += dy[i] at row ids[i], one thread per element of dy [n / C, C]; ids outside
// [0, vocab) add nothing (the host cannot see them without a copy back).
extern "C" __global__ void embedding_scatter_add_f32(float* __restrict__ dtable, const float* __restrict__ dy, const int* __restrict__ ids,
                                                     i64 n, i64 channels, i64 vocab) {
  GRID_STRIDE_LOOP(i, n) {
    const int id = ids[i / channels];
    if (id >= 0 && id < vocab) atomicAdd(&dtable[(i64)id * channels + i % channels], dy[i]);
  }
}

// Per row of logits [rows, V]: row_loss = logsumexp(row) - row[target] (NaN when the target is outside [0, V)),
// dlogits = (softmax(row) - onehot(target)) / rows.
extern "C" __global__ void vocab_cross_entropy_f32(float* __restrict__ dlogits, float* __restrict__ row_loss, const float* __restrict__ logits,
                                                   const int* __restrict__ targets, i64 rows, i64 vocab) {
  __shared__ float partial[32];
  const float inv_rows = 1.0f / (float)rows;
  for (i64 row = blockIdx.x; row < rows; row += gridDim.x) {
    const float* l = logits + row * vocab;
    float* d = dlogits + row * vocab;
    const int target = targets[row];
    float m = -__int_as_float(0x7f800000);
    for (i64 j = threadIdx.x; j < vocab; j += blockDim.x) m = fmaxf(m, l[j]);
    m = gpt_block_max(m, partial);
    float s = 0.0f;
    for (i64 j = threadIdx.x; j < vocab; j += blockDim.x) s += expf(l[j] - m);
    const float sum = gpt_block_sum(s, partial);
    const float inv = 1.0f / sum;
    for (i64 j = threadIdx.x; j < vocab; j += blockDim.x) d[j] = (expf(l[j] - m) * inv - (j == target ? 1.0f : 0.0f)) * inv_rows;
    if (threadIdx.x == 0) row_loss[row] = target >= 0 && target < vocab ? m + logf(sum) - l[target] : __int_as_float(0x7fc00000);
  }
}

// out[0] = mean of in[0..n): one block (launched with one), in order per thread, then a tree.
extern "C" __global__ void mean_f32(float* __restrict__ out, const float* __restrict__ in, i64 n) {
  __shared__ float partial[32];
  float s = 0.0f;
  for (i64 i = threadIdx.x; i < n; i += blockDim.x) s += in[i];
  const float total = gpt_block_sum(s, partial);
  if (threadIdx.x == 0) out[0] = total / (float)n;
}

// The mask hash's mixing step (kernel/fused/gpt/dropout.ts dropoutMix; keep both in step).
__device__ unsigned int gpt_dropout_mix(unsigned int h) {
  h ^= h >> 16; h *= 0x7feb352dU; h ^= h >> 15; h *= 0x846ca68bU; h ^= h >> 16;
  return h;
}

// y = keep(i) ? x * scale : 0, keep(i) = mix(mix(i ^ key) + key) >= threshold; key and threshold are u32 passed
// as i64, i is the flat index (below 2^32).
extern "C" __global__ void dropout_f32(float* __restrict__ y, const float* __restrict__ x, i64 n, i64 key64, i64 threshold64, float scale) {
  const unsigned int key = (unsigned int)key64, threshold = (unsigned int)threshold64;
  GRID_STRIDE_LOOP(i, n) {
    const unsigned int h = gpt_dropout_mix(gpt_dropout_mix((unsigned int)i ^ key) + key);
    y[i] = h >= threshold ? x[i] * scale : 0.0f;
  }
}

// AdamW (kernel/fused/gpt/adamw.ts): g = grad * grad_scale[0]; new moments; param' with bias corrections
// c1 = 1 / (1 - b1^step), c2 = 1 / (1 - b2^step) and decay = lr * weight_decay. The scale is read on the device
// (one float, computed there by the clipping), so the host never waits for it.
extern "C" __global__ void adamw_f32(float* __restrict__ param_out, float* __restrict__ m_out, float* __restrict__ v_out,
                                     const float* __restrict__ param, const float* __restrict__ grad, const float* __restrict__ m,
                                     const float* __restrict__ v, const float* __restrict__ grad_scale, i64 n, float lr, float decay,
                                     float b1, float b2, float epsilon, float c1, float c2) {
  const float scale = grad_scale[0];
  GRID_STRIDE_LOOP(i, n) {
    const float g = grad[i] * scale;
    const float m1 = b1 * m[i] + (1.0f - b1) * g;
    const float v1 = b2 * v[i] + (1.0f - b2) * g * g;
    const float p = param[i];
    m_out[i] = m1;
    v_out[i] = v1;
    param_out[i] = p - lr * (m1 * c1) / (sqrtf(v1 * c2) + epsilon) - decay * p;
  }
}
`;
}
