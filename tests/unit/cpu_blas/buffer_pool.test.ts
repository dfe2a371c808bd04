import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { Float32Pool } from "../../../kernel/backends/cpu_blas/kernel_utils/buffer_pool.js";
import { HEAP_MAX_LENGTH } from "../../../kernel/backends/cpu_blas/kernel_utils/wasm/heap.js";
import { random, skipReason } from "./compare.js";

// Arrays of HEAP_MAX_LENGTH floats or more are the pool's own (shorter ones may come from the SIMD heap, tested in simd.test.ts).
const LARGE = HEAP_MAX_LENGTH;

describe("Float32Pool", () => {
  it("reuses an array only after every tensor entry holding its buffer is released", () => {
    const pool = new Float32Pool();
    const a = pool.alloc(LARGE);
    pool.retain(a);
    pool.retain(a.subarray(10, 20)); // a view held by a second entry, as tfjs's slice makes
    pool.release(a);
    assert.notEqual(pool.alloc(LARGE), a, "still held by the view");
    pool.release(a.subarray(10, 20));
    assert.equal(pool.alloc(LARGE), a);
  });

  it("never pools small arrays or arrays it did not allocate", () => {
    const pool = new Float32Pool();
    const small = pool.alloc(8);
    const foreign = new Float32Array(LARGE);
    assert.equal(pool.isPooled(small), false);
    assert.equal(pool.isPooled(foreign), false);
    pool.retain(foreign);
    pool.release(foreign);
    assert.equal(pool.heldBytes, 0);
  });

  it("keeps at most maxFreeBytes in its free lists", () => {
    const pool = new Float32Pool(LARGE * 4);
    const arrays = [pool.alloc(LARGE), pool.alloc(LARGE)];
    for (const a of arrays) {
      pool.retain(a);
      pool.release(a);
    }
    assert.equal(pool.heldBytes, LARGE * 4);
  });
});

describe("cpu-blas backend memory reuse", { skip: skipReason }, () => {
  it("keeps values read with dataSync intact after the tensor is disposed and its memory reused", async () => {
    await tf.setBackend("cpu-blas");
    const a = random([256, 256], 1);
    const b = random([256, 256], 2);
    const sum = tf.add(a, b);
    const read = sum.dataSync();
    const expected = Float32Array.from(read);
    sum.dispose();
    const others = [tf.mul(a, b), tf.sub(a, b), tf.add(b, b)];
    assert.deepEqual(read, expected);
    tf.dispose([a, b, ...others]);
  });

  it("keeps a slice (a view of its parent's buffer) intact after the parent is disposed", async () => {
    await tf.setBackend("cpu-blas");
    const a = random([256, 256], 3);
    const parent = tf.add(a, a);
    const rows = tf.slice(parent, [10, 0], [20, 256]);
    const expected = Float32Array.from(rows.dataSync());
    parent.dispose();
    const others = [tf.mul(a, a), tf.sub(a, a), tf.add(a, a)];
    assert.deepEqual(rows.dataSync(), expected);
    tf.dispose([a, rows, ...others]);
  });
});
