/** A small PNG reader for tests, written from the PNG specification independently of the encoder. */
import assert from "node:assert/strict";
import { inflateSync } from "node:zlib";
import { PNG_SIGNATURE } from "../../../kernel/charts/index.js";

export interface Chunk {
  type: string;
  data: Buffer;
  crc: number;
}

/** Splits a PNG into chunks, checking lengths; written from the PNG spec, independent of the encoder. */
export function chunks(png: Buffer): Chunk[] {
  assert.deepEqual([...png.subarray(0, 8)], [...PNG_SIGNATURE]);
  const out: Chunk[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString("latin1", offset + 4, offset + 8);
    const data = png.subarray(offset + 8, offset + 8 + length);
    out.push({ type, data, crc: png.readUInt32BE(offset + 8 + length) });
    offset += 12 + length;
  }
  assert.equal(offset, png.length, "chunks end exactly at the end of the file");
  return out;
}

/** Reverses PNG filters 0 (None) and 2 (Up); enough for this encoder's output. */
export function decodeRgba(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const parts = chunks(png);
  const header = parts[0]!.data;
  const width = header.readUInt32BE(0);
  const height = header.readUInt32BE(4);
  const raw = inflateSync(Buffer.concat(parts.filter((c) => c.type === "IDAT").map((c) => c.data)));
  const stride = width * 4;
  assert.equal(raw.length, (stride + 1) * height);
  const pixels = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let i = 0; i < stride; i++) {
      const value = raw[y * (stride + 1) + 1 + i]!;
      if (filter === 0) pixels[y * stride + i] = value;
      else if (filter === 2) pixels[y * stride + i] = (value + (y > 0 ? pixels[(y - 1) * stride + i]! : 0)) & 255;
      else assert.fail(`unexpected filter ${filter}`);
    }
  }
  return { width, height, pixels };
}

