/**
 * Decoding of the NVML values tsgpu reads, from the raw bytes NVML writes
 * (little-endian, x86-64/aarch64 Linux ABI). Layouts from NVIDIA's `nvml.h`:
 *
 *   typedef struct nvmlMemory_st      { unsigned long long total, free, used; } nvmlMemory_t;      // 24 bytes
 *   typedef struct nvmlUtilization_st { unsigned int gpu, memory; } nvmlUtilization_t;            //  8 bytes
 *   nvmlDeviceGetName / GetUUID / nvmlSystemGetDriverVersion fill NUL-terminated char buffers
 *   (NVML_DEVICE_NAME_V2_BUFFER_SIZE 96, NVML_DEVICE_UUID_V2_BUFFER_SIZE 96,
 *    NVML_SYSTEM_DRIVER_VERSION_BUFFER_SIZE 80).
 *   nvmlSystemGetCudaDriverVersion gives 1000 * major + 10 * minor (12080 -> "12.8").
 *   Power is in milliwatts.
 *
 * Kept apart from the FFI binding so it can be tested on recorded bytes.
 */

export const NVML_MEMORY_SIZE = 24;
export const NVML_UTILIZATION_SIZE = 8;
export const NVML_NAME_BUFFER_SIZE = 96;
export const NVML_UUID_BUFFER_SIZE = 96;
export const NVML_DRIVER_VERSION_BUFFER_SIZE = 80;

/** NVML return codes tsgpu names in messages (nvml.h `nvmlReturn_t`). */
export const NVML_RETURN_NAMES: Record<number, string> = {
  0: "NVML_SUCCESS",
  1: "NVML_ERROR_UNINITIALIZED",
  2: "NVML_ERROR_INVALID_ARGUMENT",
  3: "NVML_ERROR_NOT_SUPPORTED",
  4: "NVML_ERROR_NO_PERMISSION",
  6: "NVML_ERROR_NOT_FOUND",
  7: "NVML_ERROR_INSUFFICIENT_SIZE",
  9: "NVML_ERROR_DRIVER_NOT_LOADED",
  12: "NVML_ERROR_LIBRARY_NOT_FOUND",
  15: "NVML_ERROR_GPU_IS_LOST",
  18: "NVML_ERROR_LIB_RM_VERSION_MISMATCH",
  999: "NVML_ERROR_UNKNOWN",
};

export interface NvmlMemory {
  totalBytes: number;
  freeBytes: number;
  usedBytes: number;
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function requireLength(bytes: Uint8Array, length: number, what: string): void {
  if (bytes.byteLength < length) throw new RangeError(`${what} needs ${length} bytes, got ${bytes.byteLength}`);
}

/** Decodes an `nvmlMemory_t`. */
export function decodeNvmlMemory(bytes: Uint8Array): NvmlMemory {
  requireLength(bytes, NVML_MEMORY_SIZE, "nvmlMemory_t");
  const v = view(bytes);
  return {
    totalBytes: Number(v.getBigUint64(0, true)),
    freeBytes: Number(v.getBigUint64(8, true)),
    usedBytes: Number(v.getBigUint64(16, true)),
  };
}

/** Decodes an `nvmlUtilization_t` (percent of time busy over the last sample period). */
export function decodeNvmlUtilization(bytes: Uint8Array): { gpuPercent: number; memoryPercent: number } {
  requireLength(bytes, NVML_UTILIZATION_SIZE, "nvmlUtilization_t");
  const v = view(bytes);
  return { gpuPercent: v.getUint32(0, true), memoryPercent: v.getUint32(4, true) };
}

/** Reads a NUL-terminated C string from a fixed-size buffer. */
export function decodeCString(bytes: Uint8Array): string {
  const end = bytes.indexOf(0);
  return Buffer.from(bytes.buffer, bytes.byteOffset, end < 0 ? bytes.byteLength : end).toString("utf8");
}

/** Formats `nvmlSystemGetCudaDriverVersion`'s integer: 12080 -> "12.8", 13000 -> "13.0". */
export function formatCudaDriverVersion(version: number): string {
  return `${Math.floor(version / 1000)}.${Math.floor((version % 1000) / 10)}`;
}

/** A name for an NVML return code. */
export function nvmlReturnName(code: number): string {
  return NVML_RETURN_NAMES[code] ?? `nvmlReturn_t ${code}`;
}
