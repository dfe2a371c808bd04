/*
 * Host emulation of the CUDA C subset the cuda backend's kernels use, so the
 * generated kernel sources compile with g++ and run on the CPU in tests.
 * A launch runs its blocks in order; each block has $TSGPU_EMULATOR_THREADS
 * threads (default 1; a power of two up to 256), real OS threads that share
 * the block's __shared__ memory and meet at __syncthreads() on a barrier, so
 * the kernels' block reductions run as on a GPU. The block size the host asks
 * for is not used: the kernels are written for any block size.
 */
#pragma once
#include <atomic>
#include <barrier>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <thread>
#include <vector>

struct emu_dim { unsigned x, y, z; };
inline thread_local emu_dim blockIdx, threadIdx;
inline emu_dim blockDim, gridDim;
inline std::barrier<>* emu_block_barrier;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __restrict__ __restrict
#define __syncthreads() emu_block_barrier->arrive_and_wait()

inline float __int_as_float(int bits) { float f; memcpy(&f, &bits, 4); return f; }
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }
inline unsigned int __float_as_uint(float x) { unsigned int u; memcpy(&u, &x, 4); return u; }
/*
 * Warps: warpSize is 32, or the whole block when it has fewer threads (the emulator's default of 8),
 * so a warp reduction written with warpSize stays within the threads that exist. A shuffle is an
 * exchange through a block-wide slot array between two barriers: every thread of the block must
 * call it together (as the kernels' reductions do).
 */
#define warpSize ((int)(blockDim.x < 32u ? blockDim.x : 32u))
inline float __shfl_xor_sync(unsigned mask, float value, int lane_mask) {
  (void)mask;
  static float slots[256];
  slots[threadIdx.x] = value;
  emu_block_barrier->arrive_and_wait();
  const float other = slots[threadIdx.x ^ (unsigned)lane_mask];
  emu_block_barrier->arrive_and_wait();
  return other;
}
/* Threads of a block run concurrently: atomics are real ones. */
inline float atomicAdd(float* address, float value) { return std::atomic_ref<float>(*address).fetch_add(value); }

inline unsigned emu_threads() {
  const char* value = getenv("TSGPU_EMULATOR_THREADS");
  const int threads = value ? atoi(value) : 1;
  return threads >= 1 && threads <= 256 ? (unsigned)threads : 1u;
}

/* Runs `kernel` (a call with its arguments bound) for every block of a grid. */
template <class Kernel>
void emu_launch(unsigned grid, Kernel kernel) {
  const unsigned threads = emu_threads();
  gridDim = {grid, 1, 1};
  blockDim = {threads, 1, 1};
  std::barrier<> barrier((std::ptrdiff_t)threads);
  emu_block_barrier = &barrier;
  auto run = [&](unsigned t) {
    threadIdx = {t, 0, 0};
    for (unsigned b = 0; b < grid; ++b) {
      blockIdx = {b, 0, 0};
      kernel();
      barrier.arrive_and_wait(); /* the next block reuses __shared__ memory */
    }
  };
  if (threads == 1) { run(0); return; }
  std::vector<std::thread> pool;
  for (unsigned t = 0; t < threads; ++t) pool.emplace_back(run, t);
  for (auto& thread : pool) thread.join();
}

#define EMU_LAUNCH(grid, ...) emu_launch(grid, [&] { __VA_ARGS__; })
