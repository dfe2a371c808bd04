/**
 * The IDX file format of MNIST and Fashion-MNIST (optionally gzipped):
 * bytes 0-1 zero, byte 2 the element type (0x08 = unsigned byte, the only
 * one these datasets use), byte 3 the number of dimensions, then one
 * big-endian uint32 per dimension, then the elements row-major.
 */
import { gunzipSync } from "node:zlib";
import { IdxFormatError } from "./errors.js";

const UNSIGNED_BYTE = 0x08;

/** A parsed IDX array of unsigned bytes. */
export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

/** True when the bytes start with the gzip magic number. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip input (as detected by its magic number); other input is returned as is. */
export function maybeGunzip(bytes: Uint8Array, fileName: string): Uint8Array {
  if (!isGzip(bytes)) return bytes;
  try {
    return gunzipSync(bytes);
  } catch (error) {
    throw new IdxFormatError(`${fileName}: corrupt or truncated gzip data (${(error as Error).message}); delete the file to download it again`);
  }
}

/**
 * Parses IDX bytes (gzipped or not). `expectedDims` checks the shape; a `-1`
 * entry accepts any size there. Throws {@link IdxFormatError} naming the file
 * and what was expected on a bad magic number, type, shape or length.
 */
export function parseIdx(input: Uint8Array, fileName: string, expectedDims?: readonly number[]): IdxArray {
  const bytes = maybeGunzip(input, fileName);
  if (bytes.length < 4) throw new IdxFormatError(`${fileName}: ${bytes.length} bytes is too short for an IDX header (at least 4)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new IdxFormatError(`${fileName}: not an IDX file (magic number starts ${hex(bytes[0]!)} ${hex(bytes[1]!)}, expected 0x00 0x00)`);
  }
  if (bytes[2] !== UNSIGNED_BYTE) {
    throw new IdxFormatError(`${fileName}: IDX element type ${hex(bytes[2]!)} is not supported (expected 0x08, unsigned byte)`);
  }
  const rank = bytes[3]!;
  const headerLength = 4 + 4 * rank;
  if (bytes.length < headerLength) {
    throw new IdxFormatError(`${fileName}: truncated header: ${bytes.length} bytes, expected ${headerLength} for ${rank} dimensions`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  if (expectedDims) {
    const matches = expectedDims.length === rank && expectedDims.every((d, i) => d === -1 || d === dims[i]);
    if (!matches) {
      throw new IdxFormatError(`${fileName}: array shape [${dims}] is not the expected [${expectedDims.map((d) => (d === -1 ? "any" : d))}]`);
    }
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const expectedLength = headerLength + count;
  if (bytes.length !== expectedLength) {
    const what = bytes.length < expectedLength ? "truncated" : "has trailing bytes";
    throw new IdxFormatError(`${fileName}: ${what}: ${bytes.length} bytes, expected ${expectedLength} for shape [${dims}]`);
  }
  return { dims, data: bytes.subarray(headerLength) };
}

/** Encodes an unsigned-byte IDX array (for tests and for writing subsets). */
export function encodeIdx(dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  out[2] = UNSIGNED_BYTE;
  out[3] = dims.length;
  const view = new DataView(out.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, "0")}`;
}
