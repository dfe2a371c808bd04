import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { type HostTensor, readCheckpoint, readSafetensors, readSafetensorsMetadata, SafetensorsError, writeSafetensors } from "../../../kernel/gpt/safetensors.js";

const folder = mkdtempSync(join(tmpdir(), "tsgpu-safetensors-"));
after(() => rmSync(folder, { recursive: true, force: true }));
let counter = 0;
const path = (name = `f${counter++}.safetensors`) => join(folder, name);

/** A safetensors file written byte by byte: header object + raw data section. */
function rawFile(header: unknown, data: Uint8Array, options: { headerText?: string; lengthOverride?: bigint } = {}): string {
  const json = Buffer.from(options.headerText ?? JSON.stringify(header), "utf8");
  const length = Buffer.alloc(8);
  length.writeBigUInt64LE(options.lengthOverride ?? BigInt(json.length));
  const file = path();
  writeFileSync(file, Buffer.concat([length, json, data]));
  return file;
}

const tensor = (shape: number[], values: number[]): HostTensor => ({ shape, data: Float32Array.from(values) });

function assertThrowsNaming(fn: () => unknown, ...parts: (string | RegExp)[]) {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof SafetensorsError, `expected SafetensorsError, got ${error}`);
    for (const part of parts) {
      if (typeof part === "string") assert.ok(error.message.includes(part), `"${error.message}" should mention ${part}`);
      else assert.match(error.message, part);
    }
    return true;
  });
}

describe("safetensors", () => {
  it("round-trips F32 tensors with names, shapes, values and metadata", () => {
    const tensors = new Map([
      ["wte.weight", tensor([3, 2], [1, -2, 3.5, 1e-8, -Infinity, NaN])],
      ["a.bias", tensor([5], [0, 1, 2, 3, 4])],
      ["scalar", tensor([], [42])],
      ["empty", tensor([0, 4], [])],
    ]);
    const file = path();
    writeSafetensors(file, tensors, { step: "7" });
    const read = readSafetensors(file);
    assert.deepEqual([...read.keys()].sort(), [...tensors.keys()].sort());
    for (const [name, expected] of tensors) {
      assert.deepEqual(read.get(name)!.shape, expected.shape, name);
      assert.deepEqual(read.get(name)!.data, expected.data, name);
    }
    assert.deepEqual(readSafetensorsMetadata(file), { format: "pt", step: "7" });
  });

  it("writes sorted names, F32 and an 8-byte aligned header", () => {
    const file = path();
    writeSafetensors(file, new Map([["b", tensor([1], [1])], ["a", tensor([3], [1, 2, 3])]]));
    const bytes = readFileSync(file);
    const length = Number(bytes.readBigUInt64LE(0));
    assert.equal(length % 8, 0);
    const header = JSON.parse(bytes.subarray(8, 8 + length).toString("utf8"));
    assert.deepEqual(Object.keys(header), ["__metadata__", "a", "b"]);
    assert.deepEqual(header.a, { dtype: "F32", shape: [3], data_offsets: [0, 12] });
    assert.deepEqual(header.b, { dtype: "F32", shape: [1], data_offsets: [12, 16] });
    assert.equal(bytes.length, 8 + length + 16);
  });

  it("skips the tensors the caller does not want", () => {
    const file = path();
    writeSafetensors(file, new Map([["keep", tensor([1], [1])], ["drop", tensor([1], [2])]]));
    assert.deepEqual([...readSafetensors(file, { skip: (name) => name === "drop" }).keys()], ["keep"]);
  });

  it("decodes F16 (normal, subnormal, zero, infinities, NaN) to float32", () => {
    const halves = [0x3c00, 0xc000, 0x3555, 0x0001, 0x8000, 0x7c00, 0xfc00, 0x7e00, 0x7bff];
    const expected = [1, -2, 0.333251953125, 2 ** -24, -0, Infinity, -Infinity, NaN, 65504];
    const data = Buffer.alloc(2 * halves.length);
    halves.forEach((h, i) => data.writeUInt16LE(h, 2 * i));
    const file = rawFile({ h: { dtype: "F16", shape: [halves.length], data_offsets: [0, data.length] } }, data);
    assert.deepEqual([...readSafetensors(file).get("h")!.data], expected);
  });

  it("decodes BF16 and F64 to float32", () => {
    const bf16 = [0x3f80, 0xc040, 0x3eaa, 0x7f80, 0x0000];
    const data = Buffer.alloc(2 * bf16.length + 16);
    bf16.forEach((h, i) => data.writeUInt16LE(h, 2 * i));
    data.writeDoubleLE(0.1, 10);
    data.writeDoubleLE(-3, 18);
    const file = rawFile(
      {
        __metadata__: { format: "pt" },
        b: { dtype: "BF16", shape: [5], data_offsets: [0, 10] },
        d: { dtype: "F64", shape: [2, 1], data_offsets: [10, 26] },
      },
      data,
    );
    const read = readSafetensors(file);
    assert.deepEqual([...read.get("b")!.data], [1, -3, 0.33203125, Infinity, 0]);
    assert.deepEqual(read.get("d")!.shape, [2, 1]);
    assert.deepEqual([...read.get("d")!.data], [Math.fround(0.1), -3]);
  });

  it("rejects a file shorter than the 8-byte header length", () => {
    const file = path();
    writeFileSync(file, Buffer.from([1, 2, 3]));
    assertThrowsNaming(() => readSafetensors(file), file, "shorter than the 8-byte");
  });

  it("rejects a header length larger than the file", () => {
    const file = rawFile({}, new Uint8Array(0), { lengthOverride: 1000n });
    assertThrowsNaming(() => readSafetensors(file), file, "header length 1000");
  });

  it("rejects a header that is not JSON", () => {
    assertThrowsNaming(() => readSafetensors(rawFile(null, new Uint8Array(0), { headerText: "{not json" })), "not valid UTF-8 JSON");
  });

  it("rejects offsets outside the data section (truncated data)", () => {
    const file = rawFile({ w: { dtype: "F32", shape: [4], data_offsets: [0, 16] } }, new Uint8Array(8));
    assertThrowsNaming(() => readSafetensors(file), file, 'tensor "w"', "outside the data section of 8 bytes");
  });

  it("rejects overlapping offsets", () => {
    const header = { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } };
    assertThrowsNaming(() => readSafetensors(rawFile(header, new Uint8Array(12))), '"b"', "overlaps", '"a"');
  });

  it("rejects a byte size that does not match dtype and shape", () => {
    const header = { w: { dtype: "F16", shape: [2, 3], data_offsets: [0, 8] } };
    assertThrowsNaming(() => readSafetensors(rawFile(header, new Uint8Array(8))), 'tensor "w"', "holds 8 bytes", "needs 12");
  });

  it("rejects an unknown dtype with what to do", () => {
    const header = { q: { dtype: "F8_E4M3", shape: [2], data_offsets: [0, 2] } };
    assertThrowsNaming(() => readSafetensors(rawFile(header, new Uint8Array(2))), 'tensor "q"', "F8_E4M3", "convert the checkpoint");
  });

  it("rejects malformed entries (bad shape, bad offsets, bad metadata)", () => {
    assertThrowsNaming(() => readSafetensors(rawFile({ w: { dtype: "F32", shape: [-1], data_offsets: [0, 0] } }, new Uint8Array(0))), "shape");
    assertThrowsNaming(() => readSafetensors(rawFile({ w: { dtype: "F32", shape: [1], data_offsets: [4] } }, new Uint8Array(4))), "data_offsets");
    assertThrowsNaming(() => readSafetensors(rawFile({ __metadata__: { n: 1 } }, new Uint8Array(0))), "__metadata__.n");
    assertThrowsNaming(() => readSafetensors(rawFile([1, 2], new Uint8Array(0))), "not a JSON object");
  });

  it("rejects data whose length does not match the shape when writing", () => {
    assertThrowsNaming(() => writeSafetensors(path(), new Map([["w", tensor([2, 2], [1, 2, 3])]])), 'tensor "w"', "3 values");
  });

  it("reads a sharded checkpoint through model.safetensors.index.json", () => {
    const sharded = join(folder, "sharded");
    writeSafetensors(join(sharded, "model-00001-of-00002.safetensors"), new Map([["a", tensor([2], [1, 2])], ["b", tensor([1], [3])]]));
    writeSafetensors(join(sharded, "model-00002-of-00002.safetensors"), new Map([["c", tensor([1, 1], [4])]]));
    const weightMap = { a: "model-00001-of-00002.safetensors", b: "model-00001-of-00002.safetensors", c: "model-00002-of-00002.safetensors" };
    writeFileSync(join(sharded, "model.safetensors.index.json"), JSON.stringify({ metadata: { total_size: 16 }, weight_map: weightMap }));
    const read = readCheckpoint(sharded);
    assert.deepEqual([...read.keys()].sort(), ["a", "b", "c"]);
    assert.deepEqual([...read.get("c")!.data], [4]);
    assert.deepEqual([...readCheckpoint(sharded, { skip: (name) => name !== "b" }).keys()], ["b"]);
  });

  it("reports a tensor the index names but its shard lacks, and a shard outside the folder", () => {
    const broken = join(folder, "broken");
    writeSafetensors(join(broken, "shard.safetensors"), new Map([["a", tensor([1], [1])]]));
    writeFileSync(join(broken, "model.safetensors.index.json"), JSON.stringify({ weight_map: { a: "shard.safetensors", z: "shard.safetensors" } }));
    assertThrowsNaming(() => readCheckpoint(broken), 'tensor "z"', "not in this shard");
    writeFileSync(join(broken, "model.safetensors.index.json"), JSON.stringify({ weight_map: { a: "../elsewhere.safetensors" } }));
    assertThrowsNaming(() => readCheckpoint(broken), "not a file in");
  });

  it("reads model.safetensors from a folder and explains an empty folder", () => {
    const single = join(folder, "single");
    writeSafetensors(join(single, "model.safetensors"), new Map([["w", tensor([1], [9])]]));
    assert.deepEqual([...readCheckpoint(single).get("w")!.data], [9]);
    assertThrowsNaming(() => readCheckpoint(join(folder, "nothing-here")), "no model.safetensors");
  });
});
