import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CudaUnsupportedError } from "../../../kernel/backends/cuda/errors";
import { broadcastStrides, collapseDims, packBroadcast, packStridedCopy, rowMajorStrides } from "../../../kernel/backends/cuda/kernel_utils/layout";
import { MAX_RANK } from "../../../kernel/backends/cuda/sources/common";

/** The element offset each operand reads for every output index, walking a layout the way the kernels do. */
function offsets(dims: readonly number[], strides: readonly number[]): number[] {
  const n = dims.reduce((a, b) => a * b, 1);
  const result: number[] = [];
  for (let i = 0; i < n; i++) {
    let r = i;
    let offset = 0;
    for (let d = dims.length - 1; d >= 0; d--) {
      offset += (r % dims[d]!) * strides[d]!;
      r = Math.floor(r / dims[d]!);
    }
    result.push(offset);
  }
  return result;
}

describe("kernel layouts", () => {
  it("computes row-major strides", () => {
    assert.deepEqual(rowMajorStrides([2, 3, 4]), [12, 4, 1]);
    assert.deepEqual(rowMajorStrides([]), []);
  });

  it("gives broadcast axes stride 0", () => {
    assert.deepEqual(broadcastStrides([3, 1], [2, 3, 5]), [0, 1, 0]);
    assert.deepEqual(broadcastStrides([5], [2, 3, 5]), [0, 0, 1]);
    assert.deepEqual(broadcastStrides([], [4]), [0]);
    assert.throws(() => broadcastStrides([3], [4]), CudaUnsupportedError);
  });

  it("collapses a same-shape operation to rank 1", () => {
    const shape = [2, 3, 4, 5];
    const layout = collapseDims(shape, [rowMajorStrides(shape), rowMajorStrides(shape)]);
    assert.deepEqual(layout, { dims: [120], strides: [[1], [1]] });
  });

  it("collapses without changing which element each operand reads", () => {
    const cases: Array<[number[], number[][]]> = [
      [[7, 1, 3, 5], [[3, 5], [7, 1, 1, 5], [1]]],
      [[2, 3, 4, 5, 6, 7], [[2, 3, 4, 5, 6, 7], [1, 3, 1, 5, 1, 7], [4, 1, 1, 1]]],
      [[1, 1, 1], [[1], []]],
      [[9, 11], [[9, 1], [11]]],
    ];
    for (const [shape, inputs] of cases) {
      const strides = inputs.map((s) => broadcastStrides(s, shape));
      const layout = collapseDims(shape, strides);
      strides.forEach((s, k) => assert.deepEqual(offsets(layout.dims, layout.strides[k]!), offsets(shape, s), `shape [${shape}] operand ${k}`));
    }
  });

  it("packs struct broadcast2 as the kernels declare it (int64 rank, n, dims, strides)", () => {
    const buffer = packBroadcast(15, { dims: [3, 5], strides: [[5, 1], [0, 1]] }, "test");
    assert.equal(buffer.length, (2 + 3 * MAX_RANK) * 8);
    const words = Array.from({ length: buffer.length / 8 }, (_, i) => Number(buffer.readBigInt64LE(i * 8)));
    assert.deepEqual(words.slice(0, 2), [2, 15]);
    assert.deepEqual(words.slice(2, 4), [3, 5]);
    assert.deepEqual(words.slice(2 + MAX_RANK, 4 + MAX_RANK), [5, 1]);
    assert.deepEqual(words.slice(2 + 2 * MAX_RANK, 4 + 2 * MAX_RANK), [0, 1]);
  });

  it("packs struct strided_copy with offsets before the arrays", () => {
    const buffer = packStridedCopy(6, { dims: [2, 3], strides: [[1, 2], [3, 1]] }, 7, 9, "test");
    assert.equal(buffer.length, (4 + 3 * MAX_RANK) * 8);
    assert.deepEqual([0, 1, 2, 3].map((i) => Number(buffer.readBigInt64LE(i * 8))), [2, 6, 7, 9]);
  });

  it("packs negative strides and large offsets as signed int64 (Reverse)", () => {
    const buffer = packStridedCopy(12, { dims: [3, 4], strides: [[-4, -1], [4, 1]] }, 2 ** 40 + 11, 0, "test");
    const word = (i: number) => Number(buffer.readBigInt64LE(i * 8));
    assert.equal(word(2), 2 ** 40 + 11);
    assert.deepEqual([word(4 + MAX_RANK), word(5 + MAX_RANK)], [-4, -1]);
  });

  it("rejects more dimensions than the kernels handle, with the shape in the message", () => {
    const dims = [2, 3, 2, 3, 2, 3, 2];
    const layout = { dims, strides: [dims.map((_, i) => (i % 2 === 0 ? 0 : 1))] };
    assert.throws(() => packBroadcast(432, layout, "Add"), /Add: .*up to 6 .*\[2,3,2,3,2,3,2\]/);
  });
});
