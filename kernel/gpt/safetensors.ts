/**
 * Reading and writing safetensors files (the format of Hugging Face
 * checkpoints: https://github.com/huggingface/safetensors, "Format").
 *
 * Layout: an 8-byte little-endian header length N, N bytes of JSON
 * `{name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}}`,
 * then the data; offsets are relative to the start of the data section.
 *
 * The file is untrusted input: every field is checked before a byte of data is
 * read, and each error names the file, the tensor and what to do. Tensors are
 * read one at a time with positioned reads, straight into the Float32Array that
 * is returned (F32) or through one tensor-sized buffer (other dtypes), so a
 * 548 MB GPT-2 checkpoint needs about 548 MB of memory, not twice that.
 * Assumes a little-endian host (every platform Node ships for).
 */
import { closeSync, existsSync, fstatSync, openSync, readFileSync, readSync, renameSync, rmSync, writeSync } from "node:fs";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve, sep } from "node:path";

export type SafetensorsDtype = "F32" | "F16" | "BF16" | "F64" | "I64" | "I32" | "I16" | "I8" | "U8" | "BOOL";

/** A float32 tensor on the host, row-major. */
export interface HostTensor {
  shape: number[];
  data: Float32Array;
}

/** A malformed or unreadable safetensors file or checkpoint folder. */
export class SafetensorsError extends Error {
  override name = "SafetensorsError";
}

const BYTES_PER_ELEMENT: Record<SafetensorsDtype, number> = {
  F32: 4, F16: 2, BF16: 2, F64: 8, I64: 8, I32: 4, I16: 2, I8: 1, U8: 1, BOOL: 1,
};

/** The reference implementation refuses headers above 100 MB; so do we (a corrupt length would allocate gigabytes). */
const MAX_HEADER_BYTES = 100_000_000;

interface TensorEntry {
  name: string;
  dtype: SafetensorsDtype;
  shape: number[];
  begin: number;
  end: number;
}

const corrupt = (file: string, what: string) =>
  new SafetensorsError(`${file}: ${what}; the file is corrupt or not a safetensors file (download or save it again)`);

function readExactly(fd: number, target: Uint8Array, position: number, file: string, what: string): void {
  let done = 0;
  while (done < target.byteLength) {
    const n = readSync(fd, target, done, target.byteLength - done, position + done);
    if (n === 0) throw corrupt(file, `${what}: file ended after ${done} of ${target.byteLength} bytes`);
    done += n;
  }
}

/** Parses and checks the header; returns the entries, the metadata and where the data section starts. */
function readHeader(fd: number, file: string): { entries: TensorEntry[]; metadata: Record<string, string>; dataStart: number } {
  const fileSize = fstatSync(fd).size;
  if (fileSize < 8) throw corrupt(file, `only ${fileSize} bytes, shorter than the 8-byte header length`);
  const lengthBytes = new Uint8Array(8);
  readExactly(fd, lengthBytes, 0, file, "header length");
  const headerLength = new DataView(lengthBytes.buffer).getBigUint64(0, true);
  if (headerLength > BigInt(fileSize - 8)) {
    throw corrupt(file, `header length ${headerLength} is larger than the ${fileSize - 8} bytes after it (truncated file?)`);
  }
  if (headerLength > BigInt(MAX_HEADER_BYTES)) throw corrupt(file, `header length ${headerLength} is above the 100 MB limit`);
  const headerBytes = new Uint8Array(Number(headerLength));
  readExactly(fd, headerBytes, 8, file, "header");
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(headerBytes));
  } catch (error) {
    throw corrupt(file, `the header is not valid UTF-8 JSON (${(error as Error).message})`);
  }
  if (header === null || typeof header !== "object" || Array.isArray(header)) throw corrupt(file, "the header is not a JSON object");

  const dataStart = 8 + Number(headerLength);
  const dataSize = fileSize - dataStart;
  const metadata: Record<string, string> = {};
  const entries: TensorEntry[] = [];
  for (const [name, value] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (value === null || typeof value !== "object" || Array.isArray(value)) throw corrupt(file, "__metadata__ is not an object");
      for (const [key, text] of Object.entries(value)) {
        if (typeof text !== "string") throw corrupt(file, `__metadata__.${key} is not a string`);
        metadata[key] = text;
      }
      continue;
    }
    entries.push(checkEntry(file, name, value, dataSize));
  }
  // Offsets must not overlap: sort by start and compare neighbours.
  const byStart = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  for (let i = 1; i < byStart.length; i++) {
    const previous = byStart[i - 1]!;
    const current = byStart[i]!;
    if (current.begin < previous.end) {
      throw corrupt(file, `tensor "${current.name}" (bytes ${current.begin}-${current.end}) overlaps tensor "${previous.name}" (bytes ${previous.begin}-${previous.end})`);
    }
  }
  return { entries, metadata, dataStart };
}

function checkEntry(file: string, name: string, value: unknown, dataSize: number): TensorEntry {
  const bad = (what: string) => corrupt(file, `tensor "${name}": ${what}`);
  if (value === null || typeof value !== "object") throw bad("its entry is not an object");
  const { dtype, shape, data_offsets: offsets } = value as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
  if (typeof dtype !== "string" || !(dtype in BYTES_PER_ELEMENT)) {
    throw new SafetensorsError(
      `${file}: tensor "${name}" has dtype ${JSON.stringify(dtype)}, which tsgpu cannot read (known: ${Object.keys(BYTES_PER_ELEMENT).join(", ")}); convert the checkpoint to float32, float16 or bfloat16, or skip this tensor`,
    );
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) throw bad(`shape ${JSON.stringify(shape)} is not a list of non-negative integers`);
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    throw bad(`data_offsets ${JSON.stringify(offsets)} is not a pair of non-negative integers`);
  }
  const [begin, end] = offsets as [number, number];
  if (begin > end || end > dataSize) throw bad(`data_offsets [${begin}, ${end}] are outside the data section of ${dataSize} bytes (truncated file?)`);
  const elements = (shape as number[]).reduce((a, b) => a * b, 1);
  const expected = elements * BYTES_PER_ELEMENT[dtype as SafetensorsDtype];
  if (end - begin !== expected) {
    throw bad(`holds ${end - begin} bytes, but ${dtype} with shape [${(shape as number[]).join(", ")}] needs ${expected}`);
  }
  return { name, dtype: dtype as SafetensorsDtype, shape: shape as number[], begin, end };
}

/** float16 bits -> float32 (subnormals, infinities and NaN included). */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** Decodes one tensor's bytes (little-endian) to float32. */
function decode(dtype: SafetensorsDtype, bytes: Uint8Array, elements: number): Float32Array {
  const out = new Float32Array(elements);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (dtype) {
    case "F32":
      out.set(new Float32Array(bytes.buffer, bytes.byteOffset, elements));
      break;
    case "F16":
      for (let i = 0; i < elements; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      break;
    case "BF16": {
      // bfloat16 is the top half of a float32: shift the bits into place.
      const bits = new Uint32Array(out.buffer);
      for (let i = 0; i < elements; i++) bits[i] = view.getUint16(2 * i, true) << 16;
      break;
    }
    case "F64":
      for (let i = 0; i < elements; i++) out[i] = view.getFloat64(8 * i, true);
      break;
    case "I64":
      for (let i = 0; i < elements; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      break;
    case "I32":
      for (let i = 0; i < elements; i++) out[i] = view.getInt32(4 * i, true);
      break;
    case "I16":
      for (let i = 0; i < elements; i++) out[i] = view.getInt16(2 * i, true);
      break;
    case "I8":
      for (let i = 0; i < elements; i++) out[i] = view.getInt8(i);
      break;
    case "U8":
    case "BOOL":
      out.set(bytes.subarray(0, elements));
      break;
  }
  return out;
}

/**
 * Reads every tensor of a safetensors file as float32 (F16, BF16 and F64 are
 * converted; integer and bool tensors are converted too, I64 exactly up to
 * 2^24). `skip(name)` returning true leaves a tensor unread. Throws
 * {@link SafetensorsError} for a malformed file.
 */
export function readSafetensors(file: string, options: { skip?: (name: string) => boolean } = {}): Map<string, HostTensor> {
  let fd: number;
  try {
    fd = openSync(file, "r");
  } catch (error) {
    throw new SafetensorsError(`${file}: cannot open (${(error as Error).message})`);
  }
  try {
    const { entries, dataStart } = readHeader(fd, file);
    const tensors = new Map<string, HostTensor>();
    for (const entry of entries.sort((a, b) => a.begin - b.begin)) {
      if (options.skip?.(entry.name)) continue;
      const elements = entry.shape.reduce((a, b) => a * b, 1);
      let data: Float32Array;
      if (entry.dtype === "F32") {
        // Read straight into the result: no second copy.
        data = new Float32Array(elements);
        readExactly(fd, new Uint8Array(data.buffer), dataStart + entry.begin, file, `tensor "${entry.name}"`);
      } else {
        const bytes = new Uint8Array(entry.end - entry.begin);
        readExactly(fd, bytes, dataStart + entry.begin, file, `tensor "${entry.name}"`);
        data = decode(entry.dtype, bytes, elements);
      }
      tensors.set(entry.name, { shape: [...entry.shape], data });
    }
    return tensors;
  } finally {
    closeSync(fd);
  }
}

/** The `__metadata__` of a safetensors file (an empty object when it has none). */
export function readSafetensorsMetadata(file: string): Record<string, string> {
  const fd = openSync(file, "r");
  try {
    return readHeader(fd, file).metadata;
  } finally {
    closeSync(fd);
  }
}

/**
 * Writes tensors as an F32 safetensors file: names sorted, header padded with
 * spaces to a multiple of 8 bytes (so every tensor is 8-byte aligned as the
 * format recommends), written to a temporary file and renamed into place.
 * Metadata gets `format: "pt"` unless given: Hugging Face transformers refuses
 * to load a safetensors file without it.
 */
export function writeSafetensors(file: string, tensors: Map<string, HostTensor>, metadata: Record<string, string> = {}): void {
  const names = [...tensors.keys()].sort();
  const header: Record<string, unknown> = { __metadata__: { format: "pt", ...metadata } };
  let offset = 0;
  for (const name of names) {
    if (name === "__metadata__") throw new SafetensorsError(`${file}: "__metadata__" is reserved and cannot name a tensor`);
    const { shape, data } = tensors.get(name)!;
    const elements = shape.reduce((a, b) => a * b, 1);
    if (!shape.every((d) => Number.isSafeInteger(d) && d >= 0) || elements !== data.length) {
      throw new SafetensorsError(`${file}: tensor "${name}" has shape [${shape.join(", ")}] but ${data.length} values; fix the shape or the data before saving`);
    }
    header[name] = { dtype: "F32", shape, data_offsets: [offset, offset + data.byteLength] };
    offset += data.byteLength;
  }
  let json = Buffer.from(JSON.stringify(header), "utf8");
  const padding = (8 - (json.length % 8)) % 8;
  if (padding) json = Buffer.concat([json, Buffer.alloc(padding, 0x20)]);
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(BigInt(json.length));

  mkdirSync(dirname(resolve(file)), { recursive: true });
  const temporary = `${file}.${process.pid}.partial`;
  const fd = openSync(temporary, "w");
  try {
    writeFully(fd, length);
    writeFully(fd, json);
    for (const name of names) {
      const { data } = tensors.get(name)!;
      writeFully(fd, new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
    closeSync(fd);
    renameSync(temporary, file);
  } catch (error) {
    try { closeSync(fd); } catch { /* already closed */ }
    rmSync(temporary, { force: true });
    throw error;
  }
}

function writeFully(fd: number, bytes: Uint8Array): void {
  let done = 0;
  while (done < bytes.byteLength) done += writeSync(fd, bytes, done, bytes.byteLength - done);
}

/**
 * Reads a checkpoint folder: `model.safetensors`, or the shards listed by
 * `model.safetensors.index.json` (`{"weight_map": {tensor: shard file}}`).
 * Every tensor the index names must be in its shard.
 */
export function readCheckpoint(folder: string, options: { skip?: (name: string) => boolean } = {}): Map<string, HostTensor> {
  const single = join(folder, "model.safetensors");
  const indexFile = join(folder, "model.safetensors.index.json");
  if (existsSync(single)) return readSafetensors(single, options);
  if (!existsSync(indexFile)) {
    throw new SafetensorsError(`${folder}: no model.safetensors and no model.safetensors.index.json; point at a folder saved by save_pretrained (or by tsgpu), or download the checkpoint`);
  }
  let index: unknown;
  try {
    index = JSON.parse(readFileSync(indexFile, "utf8"));
  } catch (error) {
    throw new SafetensorsError(`${indexFile}: not valid JSON (${(error as Error).message}); download the checkpoint again`);
  }
  const weightMap = (index as { weight_map?: unknown } | null)?.weight_map;
  if (weightMap === null || typeof weightMap !== "object" || Array.isArray(weightMap)) {
    throw new SafetensorsError(`${indexFile}: no "weight_map" object; download the checkpoint again`);
  }
  const byShard = new Map<string, Set<string>>();
  const root = resolve(folder);
  for (const [name, shard] of Object.entries(weightMap as Record<string, unknown>)) {
    // The shard name comes from the file: it must stay inside the folder.
    if (typeof shard !== "string" || !resolve(root, shard).startsWith(root + sep)) {
      throw new SafetensorsError(`${indexFile}: tensor "${name}" maps to ${JSON.stringify(shard)}, which is not a file in ${folder}`);
    }
    if (options.skip?.(name)) continue;
    if (!byShard.has(shard)) byShard.set(shard, new Set());
    byShard.get(shard)!.add(name);
  }
  const tensors = new Map<string, HostTensor>();
  for (const [shard, names] of byShard) {
    const path = join(folder, shard);
    if (!existsSync(path)) throw new SafetensorsError(`${path}: shard named by ${indexFile} is missing; download the checkpoint again`);
    const read = readSafetensors(path, { skip: (name) => !names.has(name) });
    for (const name of names) {
      const tensor = read.get(name);
      if (!tensor) throw new SafetensorsError(`${path}: tensor "${name}" is listed in ${indexFile} but not in this shard; the checkpoint is inconsistent`);
      tensors.set(name, tensor);
    }
  }
  return tensors;
}
