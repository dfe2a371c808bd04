import assert from "node:assert/strict";
import { test } from "node:test";
import {
  decodeCString,
  decodeNvmlMemory,
  decodeNvmlUtilization,
  formatCudaDriverVersion,
  NVML_NAME_BUFFER_SIZE,
  nvmlReturnName,
} from "../../../kernel/device/nvml_structs.js";

// Bytes as NVML writes them on x86-64 (little-endian), per nvml.h's struct definitions.
test("decodes nvmlMemory_t: total, free, used as unsigned 64-bit", () => {
  const bytes = Buffer.alloc(24);
  bytes.writeBigUInt64LE(85_520_809_984n, 0); // H100 80GB total
  bytes.writeBigUInt64LE(84_441_055_232n, 8);
  bytes.writeBigUInt64LE(1_079_754_752n, 16);
  assert.deepEqual(decodeNvmlMemory(bytes), { totalBytes: 85_520_809_984, freeBytes: 84_441_055_232, usedBytes: 1_079_754_752 });
});

test("decodes nvmlUtilization_t: gpu then memory percent", () => {
  assert.deepEqual(decodeNvmlUtilization(Uint8Array.from([87, 0, 0, 0, 12, 0, 0, 0])), { gpuPercent: 87, memoryPercent: 12 });
});

test("decodes NUL-terminated names from fixed buffers, and a buffer with no NUL", () => {
  const buffer = Buffer.alloc(NVML_NAME_BUFFER_SIZE, 0x41);
  buffer.write("NVIDIA H100 80GB HBM3\0", 0, "utf8");
  assert.equal(decodeCString(buffer), "NVIDIA H100 80GB HBM3");
  assert.equal(decodeCString(Buffer.from("abc")), "abc");
});

test("rejects buffers shorter than the struct", () => {
  assert.throws(() => decodeNvmlMemory(new Uint8Array(16)), /nvmlMemory_t needs 24 bytes, got 16/);
});

test("formats the CUDA driver version and names return codes", () => {
  assert.equal(formatCudaDriverVersion(12080), "12.8");
  assert.equal(formatCudaDriverVersion(13000), "13.0");
  assert.equal(nvmlReturnName(9), "NVML_ERROR_DRIVER_NOT_LOADED");
  assert.equal(nvmlReturnName(77), "nvmlReturn_t 77");
});
