/**
 * Minimal safetensors reader/writer (placeholder until the Hub half of issue 11
 * lands): an 8-byte little-endian header length, a JSON header
 * `{name: {dtype, shape, data_offsets}}`, then the raw little-endian data.
 * F32, F16 and BF16 are read (as float32); F32 is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";

export interface HostTensor { shape: number[]; data: Float32Array }

function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function decode(dtype: string, bytes: Buffer, name: string, file: string): Float32Array {
  const count = dtype === "F32" ? bytes.length / 4 : bytes.length / 2;
  const out = new Float32Array(count);
  if (dtype === "F32") for (let i = 0; i < count; i++) out[i] = bytes.readFloatLE(i * 4);
  else if (dtype === "F16") for (let i = 0; i < count; i++) out[i] = halfToFloat(bytes.readUInt16LE(i * 2));
  else if (dtype === "BF16") {
    const view = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < count; i++) { view.setUint32(0, bytes.readUInt16LE(i * 2) << 16); out[i] = view.getFloat32(0); }
  } else throw new Error(`${file}: tensor ${name} has dtype ${dtype}; only F32, F16 and BF16 are supported`);
  return out;
}

/** Reads every tensor of a .safetensors file as float32 (except those `skip` names). */
export function readSafetensors(file: string, options: { skip?: (name: string) => boolean } = {}): Map<string, HostTensor> {
  const buffer = fs.readFileSync(file);
  const headerLength = Number(buffer.readBigUInt64LE(0));
  const header = JSON.parse(buffer.subarray(8, 8 + headerLength).toString("utf8")) as Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }>;
  const start = 8 + headerLength;
  const out = new Map<string, HostTensor>();
  for (const [name, entry] of Object.entries(header)) {
    if (name === "__metadata__" || options.skip?.(name)) continue;
    const bytes = buffer.subarray(start + entry.data_offsets[0], start + entry.data_offsets[1]);
    out.set(name, { shape: entry.shape, data: decode(entry.dtype, bytes, name, file) });
  }
  return out;
}

/** Writes float32 tensors (F32) with optional string metadata. */
export function writeSafetensors(file: string, tensors: Map<string, HostTensor>, metadata?: Record<string, string>): void {
  const header: Record<string, unknown> = {};
  if (metadata) header["__metadata__"] = metadata;
  let offset = 0;
  for (const [name, tensor] of tensors) {
    header[name] = { dtype: "F32", shape: tensor.shape, data_offsets: [offset, offset + tensor.data.length * 4] };
    offset += tensor.data.length * 4;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length) % 8 !== 0) json += " ";
  const headerBytes = Buffer.from(json, "utf8");
  const out = Buffer.alloc(8 + headerBytes.length + offset);
  out.writeBigUInt64LE(BigInt(headerBytes.length), 0);
  headerBytes.copy(out, 8);
  let at = 8 + headerBytes.length;
  for (const tensor of tensors.values()) {
    Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).copy(out, at);
    at += tensor.data.byteLength;
  }
  fs.writeFileSync(file, out);
}

/** Reads a folder's model.safetensors (or the shards listed in model.safetensors.index.json). */
export function readCheckpoint(folder: string, options: { skip?: (name: string) => boolean } = {}): Map<string, HostTensor> {
  const index = path.join(folder, "model.safetensors.index.json");
  if (!fs.existsSync(index)) return readSafetensors(path.join(folder, "model.safetensors"), options);
  const map = (JSON.parse(fs.readFileSync(index, "utf8")) as { weight_map: Record<string, string> }).weight_map;
  const out = new Map<string, HostTensor>();
  for (const shard of new Set(Object.values(map))) for (const [k, v] of readSafetensors(path.join(folder, shard), options)) out.set(k, v);
  return out;
}
