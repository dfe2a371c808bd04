import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { gzipSync } from "node:zlib";
import { encodeIdx, IdxFormatError, parseIdx } from "../../../kernel/tensor/data/index.js";

const images = encodeIdx([2, 3, 4], Uint8Array.from({ length: 24 }, (_, i) => i));

describe("IDX parser", () => {
  it("parses a plain and a gzipped file to the same array", () => {
    for (const bytes of [images, gzipSync(images)]) {
      const parsed = parseIdx(bytes, "x.idx", [2, 3, 4]);
      assert.deepEqual(parsed.dims, [2, 3, 4]);
      assert.deepEqual(Array.from(parsed.data), Array.from({ length: 24 }, (_, i) => i));
    }
  });

  it("accepts any size where the expected shape says -1", () => {
    assert.deepEqual(parseIdx(images, "x.idx", [-1, 3, 4]).dims, [2, 3, 4]);
  });

  it("rejects a bad magic number, naming the file", () => {
    const bad = images.slice();
    bad[0] = 0x50;
    assert.throws(() => parseIdx(bad, "train-images", [2, 3, 4]), (e: Error) => e instanceof IdxFormatError && /train-images: not an IDX file/.test(e.message));
  });

  it("rejects an element type other than unsigned byte", () => {
    const bad = images.slice();
    bad[2] = 0x0d;
    assert.throws(() => parseIdx(bad, "f.idx"), /element type 0x0d is not supported \(expected 0x08/);
  });

  it("rejects a truncated header and truncated data with the expected length", () => {
    assert.throws(() => parseIdx(images.subarray(0, 10), "f.idx"), /f\.idx: truncated header: 10 bytes, expected 16/);
    assert.throws(() => parseIdx(images.subarray(0, 30), "f.idx"), /f\.idx: truncated: 30 bytes, expected 40 for shape \[2,3,4\]/);
    assert.throws(() => parseIdx(images.subarray(0, 2), "f.idx"), /too short/);
  });

  it("rejects trailing bytes and an unexpected shape", () => {
    const longer = new Uint8Array(images.length + 1);
    longer.set(images);
    assert.throws(() => parseIdx(longer, "f.idx"), /has trailing bytes: 41 bytes, expected 40/);
    assert.throws(() => parseIdx(images, "labels", [2]), /labels: array shape \[2,3,4\] is not the expected \[2\]/);
  });

  it("rejects a truncated gzip stream, naming the file", () => {
    const gz = gzipSync(images);
    assert.throws(() => parseIdx(gz.subarray(0, gz.length - 6), "t10k.gz"), /t10k\.gz: corrupt or truncated gzip data/);
  });
});
