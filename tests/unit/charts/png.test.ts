import assert from "node:assert/strict";
import { test } from "node:test";
import { ChartError, crc32, encodePng } from "../../../kernel/charts/index.js";
import { chunks, decodeRgba } from "./png_reader.js";

test("crc32 matches the standard check value", () => {
  assert.equal(crc32(new TextEncoder().encode("123456789")), 0xcbf43926);
  assert.equal(crc32(new Uint8Array(0)), 0);
});

test("encodes a PNG with signature, IHDR, IDAT, IEND and valid CRCs", () => {
  const width = 5;
  const height = 3;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i++) rgba[i] = (i * 37) & 255;
  const png = encodePng(width, height, rgba);
  const parts = chunks(png);
  assert.deepEqual(
    parts.map((c) => c.type),
    ["IHDR", "IDAT", "IEND"],
  );
  for (const c of parts) assert.equal(c.crc, crc32(Buffer.concat([Buffer.from(c.type, "latin1"), c.data])), `CRC of ${c.type}`);
  const ihdr = parts[0]!.data;
  assert.equal(ihdr.length, 13);
  assert.deepEqual([ihdr.readUInt32BE(0), ihdr.readUInt32BE(4), ihdr[8], ihdr[9], ihdr[10], ihdr[11], ihdr[12]], [5, 3, 8, 6, 0, 0, 0]);
  assert.deepEqual(decodeRgba(png).pixels, rgba);
});

test("rejects sizes and pixel buffers that do not match", () => {
  assert.throws(() => encodePng(0, 3, new Uint8Array(0)), ChartError);
  assert.throws(() => encodePng(2, 2, new Uint8Array(15)), /needs 16 RGBA bytes, got 15/);
});

