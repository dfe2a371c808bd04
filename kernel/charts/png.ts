/**
 * A minimal PNG encoder (RGBA, 8 bits per channel, no interlace) on node:zlib.
 * Layout per the PNG specification (ISO/IEC 15948): signature, IHDR, IDAT
 * (zlib stream of filtered scanlines), IEND; each chunk is length, type, data,
 * CRC-32 of type+data.
 */
import { deflateSync } from "node:zlib";
import { ChartError } from "./scene.js";

/** The eight bytes every PNG file starts with. */
export const PNG_SIGNATURE = Uint8Array.from([137, 80, 78, 71, 13, 10, 26, 10]);

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32 (ISO 3309, as PNG uses it) of the bytes. */
export function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = CRC_TABLE[(c ^ bytes[i]!) & 255]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, "latin1");
  out.set(data, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)), 8 + data.length);
  return out;
}

/**
 * Encodes RGBA pixels (row-major, 4 bytes a pixel) as a PNG file. Rows after
 * the first use the "Up" filter (difference to the row above), which makes the
 * flat areas of charts compress to almost nothing.
 */
export function encodePng(width: number, height: number, rgba: Uint8Array): Buffer {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
    throw new ChartError(`PNG size must be positive integers, got ${width}x${height}`);
  }
  if (rgba.length !== width * height * 4) {
    throw new ChartError(`PNG of ${width}x${height} needs ${width * height * 4} RGBA bytes, got ${rgba.length}`);
  }
  const stride = width * 4;
  const raw = Buffer.alloc((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = rgba.subarray(y * stride, (y + 1) * stride);
    const offset = y * (stride + 1);
    if (y > 0) {
      raw[offset] = 2; // Up: byte minus the byte above, mod 256
      const above = rgba.subarray((y - 1) * stride, y * stride);
      for (let i = 0; i < stride; i++) raw[offset + 1 + i] = (row[i]! - above[i]!) & 255;
    } else {
      raw[offset] = 0;
      raw.set(row, offset + 1);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method 0
  header[12] = 0; // no interlace
  return Buffer.concat([Buffer.from(PNG_SIGNATURE), chunk("IHDR", header), chunk("IDAT", deflateSync(raw, { level: 6 })), chunk("IEND", new Uint8Array(0))]);
}
