/*
 * Host emulation of the CUDA C subset the cuda backend's kernels use, so the
 * generated kernel sources compile with g++ and run on the CPU in tests.
 * Each block runs on one emulated thread (blockDim.x = 1), blocks in order:
 * the kernels are written for any block size (grid-stride loops, tree
 * reductions over blockDim.x), so results are the same as on a GPU up to
 * floating-point summation order. __syncthreads() is then a no-op.
 */
#pragma once
#include <math.h>
#include <stdint.h>
#include <string.h>

struct emu_dim { unsigned x, y, z; };
inline emu_dim blockIdx, threadIdx, blockDim, gridDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __restrict__ __restrict
#define __syncthreads() ((void)0)

inline float __int_as_float(int bits) { float f; memcpy(&f, &bits, 4); return f; }
inline float rsqrtf(float x) { return 1.0f / sqrtf(x); }

/* Runs the kernel call given after `grid` for every block of the grid, one thread per block. */
#define EMU_LAUNCH(grid, ...) \
  do { gridDim = {grid, 1, 1}; blockDim = {1, 1, 1}; threadIdx = {0, 0, 0}; \
       for (unsigned b = 0; b < (grid); ++b) { blockIdx = {b, 0, 0}; __VA_ARGS__; } } while (0)
