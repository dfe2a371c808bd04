/*
 * A stand-in for libcuda.so.1 for tests on machines without a GPU: device
 * memory is host memory (malloc), the stream is synchronous, modules ignore
 * their cubin and resolve kernels in a host-compiled kernel library
 * ($TSGPU_EMULATOR_KERNELS, built from the same generated CUDA C with
 * cuda_emulator.h), where `<name>__launch(params, grid)` runs one kernel
 * ($TSGPU_EMULATOR_THREADS threads per block).
 * Capacity ($TSGPU_EMULATOR_MEMORY bytes, default 1 GiB) makes
 * out-of-memory testable. Function signatures follow cuda.h.
 *
 * Injected faults (read at each call, so a test can set them at run time;
 * counting restarts whenever the value changes):
 *   TSGPU_EMU_FAIL_ALLOC_AT=N        the Nth cuMemAlloc and every later one return CUDA_ERROR_OUT_OF_MEMORY
 *                                    until the variable changes (the allocator's retry fails too)
 *   TSGPU_EMU_LOSE_DEVICE_AT_LAUNCH=N the Nth cuLaunchKernel returns CUDA_ERROR_LAUNCH_FAILED and,
 *                                    as on a GPU after a kernel fault, every later launch, copy,
 *                                    allocation and synchronise in this process fails with it (sticky)
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int CUresult;
typedef unsigned long long CUdeviceptr;
typedef void (*launch_fn)(void **params, unsigned grid);

enum { SUCCESS = 0, INVALID_VALUE = 1, OUT_OF_MEMORY = 2, NOT_INITIALIZED = 3, NOT_FOUND = 500, INVALID_DEVICE = 101, LAUNCH_FAILED = 719 };

static void *kernels;
static size_t capacity = (size_t)1 << 30;
static size_t used;
static int initialised;

/* A fault counter driven by an environment variable: true from the Nth call since the value last changed. */
typedef struct { const char *name; char seen[32]; unsigned long long calls; } fault;
static fault alloc_fault = { "TSGPU_EMU_FAIL_ALLOC_AT", "", 0 };
static fault launch_fault = { "TSGPU_EMU_LOSE_DEVICE_AT_LAUNCH", "", 0 };
static CUresult sticky; /* once set, the context is lost: every later call fails with it */

static int fault_now(fault *f) {
  const char *value = getenv(f->name);
  if (!value) value = "";
  if (strncmp(value, f->seen, sizeof f->seen - 1) != 0) {
    snprintf(f->seen, sizeof f->seen, "%s", value);
    f->calls = 0;
  }
  if (!*value) return 0;
  return ++f->calls >= strtoull(value, NULL, 10);
}

/* Allocation sizes live in a header before each block. */
typedef struct { size_t bytes; size_t pad; } header;

CUresult cuInit(unsigned int flags) {
  (void)flags;
  const char *library = getenv("TSGPU_EMULATOR_KERNELS");
  if (!library) return NOT_INITIALIZED;
  kernels = dlopen(library, RTLD_NOW | RTLD_LOCAL);
  if (!kernels) { fprintf(stderr, "fake libcuda: %s\n", dlerror()); return NOT_INITIALIZED; }
  const char *memory = getenv("TSGPU_EMULATOR_MEMORY");
  if (memory) capacity = strtoull(memory, NULL, 10);
  initialised = 1;
  return SUCCESS;
}
CUresult cuDriverGetVersion(int *version) { *version = 12080; return SUCCESS; }
CUresult cuDeviceGetCount(int *count) { if (!initialised) return NOT_INITIALIZED; *count = 1; return SUCCESS; }
CUresult cuDeviceGet(int *device, int ordinal) { if (ordinal != 0) return INVALID_DEVICE; *device = 0; return SUCCESS; }
CUresult cuDeviceGetName(char *name, int length, int device) { (void)device; snprintf(name, (size_t)length, "tsgpu CPU emulator"); return SUCCESS; }
CUresult cuDeviceGetAttribute(int *value, int attribute, int device) {
  (void)device;
  switch (attribute) {
    case 16: *value = 4; return SUCCESS;  /* multiprocessors */
    case 75: *value = 8; return SUCCESS;  /* compute capability major */
    case 76: *value = 0; return SUCCESS;  /* minor */
    default: return INVALID_VALUE;
  }
}
CUresult cuDeviceTotalMem_v2(size_t *bytes, int device) { (void)device; *bytes = capacity; return SUCCESS; }
CUresult cuDevicePrimaryCtxRetain(void **context, int device) { (void)device; *context = (void *)0x1; return SUCCESS; }
CUresult cuDevicePrimaryCtxRelease_v2(int device) { (void)device; return SUCCESS; }
CUresult cuCtxSetCurrent(void *context) { (void)context; return SUCCESS; }
CUresult cuCtxSynchronize(void) { return sticky; }

CUresult cuMemAlloc_v2(CUdeviceptr *pointer, size_t bytes) {
  if (sticky) return sticky;
  if (bytes == 0) return INVALID_VALUE;
  if (fault_now(&alloc_fault)) return OUT_OF_MEMORY;
  if (used + bytes > capacity) return OUT_OF_MEMORY;
  header *block = malloc(sizeof(header) + bytes);
  if (!block) return OUT_OF_MEMORY;
  memset(block + 1, 0xcd, bytes); /* garbage, as fresh device memory */
  block->bytes = bytes;
  used += bytes;
  *pointer = (CUdeviceptr)(block + 1);
  return SUCCESS;
}
CUresult cuMemFree_v2(CUdeviceptr pointer) {
  header *block = (header *)pointer - 1;
  used -= block->bytes;
  free(block);
  return SUCCESS;
}
CUresult cuMemGetInfo_v2(size_t *free_bytes, size_t *total) { *free_bytes = capacity - used; *total = capacity; return SUCCESS; }
CUresult cuMemcpyHtoDAsync_v2(CUdeviceptr dst, const void *src, size_t bytes, void *stream) { (void)stream; if (sticky) return sticky; memcpy((void *)dst, src, bytes); return SUCCESS; }
CUresult cuMemcpyDtoHAsync_v2(void *dst, CUdeviceptr src, size_t bytes, void *stream) { (void)stream; if (sticky) return sticky; memcpy(dst, (void *)src, bytes); return SUCCESS; }
CUresult cuMemcpyDtoDAsync_v2(CUdeviceptr dst, CUdeviceptr src, size_t bytes, void *stream) { (void)stream; if (sticky) return sticky; memmove((void *)dst, (void *)src, bytes); return SUCCESS; }
CUresult cuMemsetD32Async(CUdeviceptr dst, unsigned int value, size_t count, void *stream) {
  (void)stream;
  if (sticky) return sticky;
  unsigned int *words = (unsigned int *)dst;
  for (size_t i = 0; i < count; i++) words[i] = value;
  return SUCCESS;
}
CUresult cuModuleLoadData(void **module, const void *image) {
  /* The image must be what NVRTC made: an ELF cubin or NUL-terminated PTX. */
  const unsigned char *bytes = image;
  if (!(bytes[0] == 0x7f && bytes[1] == 'E') && !(bytes[0] == '/' || bytes[0] == '.' || bytes[0] == '\n')) return INVALID_VALUE;
  *module = (void *)0x2;
  return SUCCESS;
}
CUresult cuModuleUnload(void *module) { (void)module; return SUCCESS; }
CUresult cuModuleGetFunction(void **fn, void *module, const char *name) {
  (void)module;
  char symbol[256];
  snprintf(symbol, sizeof symbol, "%s__launch", name);
  void *found = dlsym(kernels, symbol);
  if (!found) return NOT_FOUND;
  *fn = found;
  return SUCCESS;
}
CUresult cuLaunchKernel(void *fn, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned shared,
                        void *stream, void **params, void **extra) {
  (void)stream; (void)shared; (void)extra;
  if (sticky) return sticky;
  if (fault_now(&launch_fault)) return sticky = LAUNCH_FAILED;
  if (gx == 0 || gy != 1 || gz != 1 || bx == 0 || bx > 1024 || by != 1 || bz != 1) return INVALID_VALUE;
  // TSGPU_EMULATOR_SKIP_LAUNCHES=1: check the launch but do not run it, so a benchmark
  // times only the host side (bench/cuda/host_overhead.ts); results are then garbage.
  static int skip = -1;
  if (skip < 0) skip = getenv("TSGPU_EMULATOR_SKIP_LAUNCHES") != NULL && getenv("TSGPU_EMULATOR_SKIP_LAUNCHES")[0] == '1';
  if (!skip) ((launch_fn)fn)(params, gx);
  return SUCCESS;
}
CUresult cuStreamCreate(void **stream, unsigned int flags) { (void)flags; *stream = (void *)0x3; return SUCCESS; }
CUresult cuStreamSynchronize(void *stream) { (void)stream; return sticky; }
CUresult cuStreamQuery(void *stream) { (void)stream; return sticky; }
CUresult cuStreamDestroy_v2(void *stream) { (void)stream; return SUCCESS; }
CUresult cuGetErrorName(CUresult code, const char **name) {
  switch (code) {
    case SUCCESS: *name = "CUDA_SUCCESS"; break;
    case INVALID_VALUE: *name = "CUDA_ERROR_INVALID_VALUE"; break;
    case OUT_OF_MEMORY: *name = "CUDA_ERROR_OUT_OF_MEMORY"; break;
    case NOT_INITIALIZED: *name = "CUDA_ERROR_NOT_INITIALIZED"; break;
    case NOT_FOUND: *name = "CUDA_ERROR_NOT_FOUND"; break;
    case LAUNCH_FAILED: *name = "CUDA_ERROR_LAUNCH_FAILED"; break;
    default: *name = "CUDA_ERROR_UNKNOWN"; break;
  }
  return SUCCESS;
}
CUresult cuGetErrorString(CUresult code, const char **text) {
  *text = code == OUT_OF_MEMORY ? "out of memory" : code == LAUNCH_FAILED ? "unspecified launch failure" : code == NOT_FOUND ? "named symbol not found" : "emulated error";
  return SUCCESS;
}
