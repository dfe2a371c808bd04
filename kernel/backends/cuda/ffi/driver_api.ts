/**
 * Typed binding of the CUDA driver API (`libcuda.so.1`, shipped with the
 * NVIDIA driver). The whole surface the backend uses is declared here; every
 * call goes through {@link DriverApi.check}, which turns a non-zero CUresult
 * into a {@link CudaDriverError} naming the call and CUDA's own description.
 *
 * Handles (CUcontext, CUmodule, CUfunction, CUstream) are koffi BigInt
 * pointers; device pointers (CUdeviceptr) are plain numbers: x86-64 addresses
 * fit in 48 bits.
 */
import koffi from "koffi";
import { CudaDeviceLostError, CudaDriverError, isContextLost } from "../errors";

/** Opaque driver handle (koffi pointer). */
export type CudaHandle = bigint;
/** Device address. */
export type DevicePointer = number;

/** CUresult codes the backend reacts to (cuda.h). */
export const CUDA_SUCCESS = 0;
export const CUDA_ERROR_OUT_OF_MEMORY = 2;
export const CUDA_ERROR_NOT_INITIALIZED = 3;
export const CUDA_ERROR_NO_DEVICE = 100;
export const CUDA_ERROR_NOT_READY = 600;

/** CUdevice_attribute values (cuda.h). */
export const CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT = 16;
export const CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
export const CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;

type Out<T> = [T];

/** The raw functions, as declared in cuda.h (versioned `_v2` symbols where cuda.h maps to them). */
interface DriverFunctions {
  cuInit(flags: number): number;
  cuDriverGetVersion(version: Out<number>): number;
  cuDeviceGetCount(count: Out<number>): number;
  cuDeviceGet(device: Out<number>, ordinal: number): number;
  cuDeviceGetName(name: Buffer, length: number, device: number): number;
  cuDeviceGetAttribute(value: Out<number>, attribute: number, device: number): number;
  cuDeviceTotalMem(bytes: Out<number>, device: number): number;
  cuDevicePrimaryCtxRetain(context: Out<CudaHandle | null>, device: number): number;
  cuDevicePrimaryCtxRelease(device: number): number;
  cuCtxSetCurrent(context: CudaHandle): number;
  cuCtxSynchronize(): number;
  cuMemAlloc(pointer: Out<number>, bytes: number): number;
  cuMemFree(pointer: DevicePointer): number;
  cuMemGetInfo(free: Out<number>, total: Out<number>): number;
  cuMemcpyHtoDAsync(dst: DevicePointer, src: ArrayBufferView, bytes: number, stream: CudaHandle): number;
  cuMemcpyDtoHAsync(dst: ArrayBufferView, src: DevicePointer, bytes: number, stream: CudaHandle): number;
  cuMemcpyDtoDAsync(dst: DevicePointer, src: DevicePointer, bytes: number, stream: CudaHandle): number;
  cuMemsetD32Async(dst: DevicePointer, value: number, count: number, stream: CudaHandle): number;
  cuModuleLoadData(module: Out<CudaHandle | null>, image: Buffer): number;
  cuModuleUnload(module: CudaHandle): number;
  cuModuleGetFunction(fn: Out<CudaHandle | null>, module: CudaHandle, name: string): number;
  cuLaunchKernel(
    fn: CudaHandle,
    gridX: number,
    gridY: number,
    gridZ: number,
    blockX: number,
    blockY: number,
    blockZ: number,
    sharedBytes: number,
    stream: CudaHandle,
    params: Buffer[],
    extra: null,
  ): number;
  cuStreamCreate(stream: Out<CudaHandle | null>, flags: number): number;
  cuStreamSynchronize(stream: CudaHandle): number;
  cuStreamQuery(stream: CudaHandle): number;
  cuStreamDestroy(stream: CudaHandle): number;
  cuGetErrorName(code: number, name: Out<string | null>): number;
  cuGetErrorString(code: number, text: Out<string | null>): number;
}

const DECLARATIONS: Record<keyof DriverFunctions, string> = {
  cuInit: "int cuInit(unsigned int flags)",
  cuDriverGetVersion: "int cuDriverGetVersion(_Out_ int *version)",
  cuDeviceGetCount: "int cuDeviceGetCount(_Out_ int *count)",
  cuDeviceGet: "int cuDeviceGet(_Out_ int *device, int ordinal)",
  cuDeviceGetName: "int cuDeviceGetName(_Out_ char *name, int len, int device)",
  cuDeviceGetAttribute: "int cuDeviceGetAttribute(_Out_ int *value, int attribute, int device)",
  cuDeviceTotalMem: "int cuDeviceTotalMem_v2(_Out_ size_t *bytes, int device)",
  cuDevicePrimaryCtxRetain: "int cuDevicePrimaryCtxRetain(_Out_ void **context, int device)",
  cuDevicePrimaryCtxRelease: "int cuDevicePrimaryCtxRelease_v2(int device)",
  cuCtxSetCurrent: "int cuCtxSetCurrent(void *context)",
  cuCtxSynchronize: "int cuCtxSynchronize()",
  cuMemAlloc: "int cuMemAlloc_v2(_Out_ uint64_t *pointer, size_t bytes)",
  cuMemFree: "int cuMemFree_v2(uint64_t pointer)",
  cuMemGetInfo: "int cuMemGetInfo_v2(_Out_ size_t *free, _Out_ size_t *total)",
  cuMemcpyHtoDAsync: "int cuMemcpyHtoDAsync_v2(uint64_t dst, const void *src, size_t bytes, void *stream)",
  cuMemcpyDtoHAsync: "int cuMemcpyDtoHAsync_v2(void *dst, uint64_t src, size_t bytes, void *stream)",
  cuMemcpyDtoDAsync: "int cuMemcpyDtoDAsync_v2(uint64_t dst, uint64_t src, size_t bytes, void *stream)",
  cuMemsetD32Async: "int cuMemsetD32Async(uint64_t dst, unsigned int value, size_t count, void *stream)",
  cuModuleLoadData: "int cuModuleLoadData(_Out_ void **module, const void *image)",
  cuModuleUnload: "int cuModuleUnload(void *module)",
  cuModuleGetFunction: "int cuModuleGetFunction(_Out_ void **fn, void *module, const char *name)",
  cuLaunchKernel:
    "int cuLaunchKernel(void *fn, unsigned int gx, unsigned int gy, unsigned int gz, unsigned int bx, unsigned int by, unsigned int bz, unsigned int shared, void *stream, void **params, void **extra)",
  cuStreamCreate: "int cuStreamCreate(_Out_ void **stream, unsigned int flags)",
  cuStreamSynchronize: "int cuStreamSynchronize(void *stream)",
  cuStreamQuery: "int cuStreamQuery(void *stream)",
  cuStreamDestroy: "int cuStreamDestroy_v2(void *stream)",
  cuGetErrorName: "int cuGetErrorName(int code, _Out_ const char **name)",
  cuGetErrorString: "int cuGetErrorString(int code, _Out_ const char **text)",
};

/** The driver library, loaded, with checked wrappers. */
export class DriverApi {
  private constructor(
    readonly path: string,
    readonly raw: DriverFunctions,
  ) {}

  /** Loads `libcuda` from `path` and declares every function; throws if a symbol is missing. */
  static load(path: string): DriverApi {
    const library = koffi.load(path);
    const raw = {} as Record<string, unknown>;
    for (const [name, declaration] of Object.entries(DECLARATIONS)) raw[name] = library.func(declaration);
    return new DriverApi(path, raw as unknown as DriverFunctions);
  }

  /** CUDA's name for an error code, e.g. "CUDA_ERROR_NO_DEVICE". */
  errorName(code: number): string {
    const out: Out<string | null> = [null];
    return this.raw.cuGetErrorName(code, out) === CUDA_SUCCESS && out[0] ? out[0] : `CUresult ${code}`;
  }

  /** CUDA's description of an error code. */
  errorString(code: number): string {
    const out: Out<string | null> = [null];
    return this.raw.cuGetErrorString(code, out) === CUDA_SUCCESS && out[0] ? out[0] : "unknown error";
  }

  /** Throws a {@link CudaDriverError} naming `call` when `code` is not CUDA_SUCCESS. */
  check(call: string, code: number): void {
    if (code === CUDA_SUCCESS) return;
    if (isContextLost(code)) throw new CudaDeviceLostError(call, code, this.errorName(code));
    throw new CudaDriverError(call, code, this.errorName(code), this.errorString(code));
  }

  init(): void {
    this.check("cuInit", this.raw.cuInit(0));
  }

  /** Driver's CUDA version as 1000*major + 10*minor (e.g. 12080). */
  driverVersion(): number {
    const out: Out<number> = [0];
    this.check("cuDriverGetVersion", this.raw.cuDriverGetVersion(out));
    return out[0];
  }

  deviceCount(): number {
    const out: Out<number> = [0];
    this.check("cuDeviceGetCount", this.raw.cuDeviceGetCount(out));
    return out[0];
  }

  device(ordinal: number): number {
    const out: Out<number> = [0];
    this.check(`cuDeviceGet(${ordinal})`, this.raw.cuDeviceGet(out, ordinal));
    return out[0];
  }

  deviceName(device: number): string {
    const buffer = Buffer.alloc(256);
    this.check("cuDeviceGetName", this.raw.cuDeviceGetName(buffer, buffer.length, device));
    const end = buffer.indexOf(0);
    return buffer.toString("utf8", 0, end < 0 ? buffer.length : end);
  }

  attribute(device: number, attribute: number): number {
    const out: Out<number> = [0];
    this.check(`cuDeviceGetAttribute(${attribute})`, this.raw.cuDeviceGetAttribute(out, attribute, device));
    return out[0];
  }

  totalMemory(device: number): number {
    const out: Out<number> = [0];
    this.check("cuDeviceTotalMem", this.raw.cuDeviceTotalMem(out, device));
    return out[0];
  }

  /** Retains the device's primary context and makes it current on this thread. */
  retainPrimaryContext(device: number): CudaHandle {
    const out: Out<CudaHandle | null> = [null];
    this.check("cuDevicePrimaryCtxRetain", this.raw.cuDevicePrimaryCtxRetain(out, device));
    const context = out[0]!;
    this.check("cuCtxSetCurrent", this.raw.cuCtxSetCurrent(context));
    return context;
  }

  /** Allocates device memory; returns the raw code so the allocator can react to out-of-memory. */
  tryAlloc(bytes: number): { code: number; pointer: DevicePointer } {
    const out: Out<number> = [0];
    const code = this.raw.cuMemAlloc(out, bytes);
    return { code, pointer: Number(out[0]) };
  }

  free(pointer: DevicePointer): void {
    this.check("cuMemFree", this.raw.cuMemFree(pointer));
  }

  memoryInfo(): { freeBytes: number; totalBytes: number } {
    const free: Out<number> = [0];
    const total: Out<number> = [0];
    this.check("cuMemGetInfo", this.raw.cuMemGetInfo(free, total));
    return { freeBytes: Number(free[0]), totalBytes: Number(total[0]) };
  }

  createStream(): CudaHandle {
    const out: Out<CudaHandle | null> = [null];
    // CU_STREAM_NON_BLOCKING = 1: no implicit sync with the legacy default stream.
    this.check("cuStreamCreate", this.raw.cuStreamCreate(out, 1));
    return out[0]!;
  }

  synchronize(stream: CudaHandle): void {
    this.check("cuStreamSynchronize", this.raw.cuStreamSynchronize(stream));
  }

  /** True when all work queued on `stream` has finished. */
  streamDone(stream: CudaHandle): boolean {
    const code = this.raw.cuStreamQuery(stream);
    if (code === CUDA_ERROR_NOT_READY) return false;
    this.check("cuStreamQuery", code);
    return true;
  }

  loadModule(image: Buffer): CudaHandle {
    const out: Out<CudaHandle | null> = [null];
    this.check("cuModuleLoadData", this.raw.cuModuleLoadData(out, image));
    return out[0]!;
  }

  getFunction(module: CudaHandle, name: string): CudaHandle {
    const out: Out<CudaHandle | null> = [null];
    this.check(`cuModuleGetFunction(${name})`, this.raw.cuModuleGetFunction(out, module, name));
    return out[0]!;
  }
}
