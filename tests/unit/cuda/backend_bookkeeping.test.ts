/**
 * The cuda backend's own logic (storage, reference counts, reads, disposal,
 * memory accounting, and the kernels that only move memory) on a host-memory
 * device, so it runs on CI without a GPU. The GPU tier runs the same backend
 * on a real device with every kernel.
 */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { CudaBackend } from "../../../kernel/backends/cuda/backend_cuda";
import { CudaOutOfMemoryError, CudaUnsupportedError } from "../../../kernel/backends/cuda/errors";
import { findLibrary } from "../../../kernel/backends/cuda/device/library_discovery";
import { registerAllKernels } from "../../../kernel/backends/cuda/register_all_kernels";
import { HostMemoryDevice } from "./host_memory_device";

const hasDriver = findLibrary("cuda").candidates.length > 0;
const device = new HostMemoryDevice(64 * 1024 * 1024);
const backend = new CudaBackend(device);

describe("cuda backend bookkeeping on a host-memory device", { skip: hasDriver ? "this machine has a driver: the GPU tier covers the backend" : false }, () => {
  before(async () => {
    registerAllKernels();
    tf.registerBackend("cuda", () => backend, 0);
    assert.ok(await tf.setBackend("cuda"));
  });

  it("stores float32, int32 and bool tensors on the device and reads them back", async () => {
    const f = tf.tensor([1.5, -2, 3.25], [3], "float32");
    const i = tf.tensor([7, -8, 9, 10], [2, 2], "int32");
    const b = tf.tensor([true, false, true]);
    assert.deepEqual(f.dataSync(), new Float32Array([1.5, -2, 3.25]));
    assert.deepEqual(i.dataSync(), new Int32Array([7, -8, 9, 10]));
    const bools = b.dataSync();
    assert.ok(bools instanceof Uint8Array);
    assert.deepEqual(Array.from(bools), [1, 0, 1]);
    assert.deepEqual(Array.from(await f.data()), [1.5, -2, 3.25]);
    tf.dispose([f, i, b]);
  });

  it("gives zero-size tensors no device memory", () => {
    const before = backend.memory().allocatedBytes;
    const empty = tf.tensor([], [0, 4]);
    assert.equal(backend.memory().allocatedBytes, before);
    assert.deepEqual(Array.from(empty.dataSync()), []);
    empty.dispose();
  });

  it("shares device data between reshapes and clones and frees it with the last reference", () => {
    const start = backend.memory().allocatedBytes;
    const x = tf.tensor(Array.from({ length: 1000 }, (_, k) => k), [10, 100]);
    const held = backend.memory().allocatedBytes;
    assert.ok(held - start >= 4000);
    const r = x.reshape([100, 10]);
    const c = tf.clone(r);
    assert.equal(backend.memory().allocatedBytes, held);
    x.dispose();
    r.dispose();
    assert.equal(c.dataSync()[999], 999);
    c.dispose();
    assert.equal(backend.memory().allocatedBytes, start);
  });

  it("disposes idempotently and returns numDataIds to where it started", () => {
    const ids = backend.numDataIds();
    const t = tf.tensor([1, 2, 3]);
    assert.equal(backend.numDataIds(), ids + 1);
    t.dispose();
    t.dispose();
    assert.equal(backend.disposeData(t.dataId), true);
    assert.equal(backend.numDataIds(), ids);
  });

  it("keeps freed blocks for reuse, reports reserved bytes and empties the cache", () => {
    backend.emptyCache();
    const t = tf.tensor(new Float32Array(4096));
    t.dispose();
    const memory = backend.memory();
    assert.ok(memory.reservedBytes >= memory.allocatedBytes + 4096 * 4);
    assert.ok(memory.cachedBytes >= 4096 * 4);
    const again = tf.tensor(new Float32Array(4096));
    assert.equal(backend.memory().reservedBytes, memory.reservedBytes);
    again.dispose();
    backend.emptyCache();
    assert.equal(backend.memory().reservedBytes, backend.memory().allocatedBytes);
    assert.equal(device.usedBytes(), backend.memory().reservedBytes);
  });

  it("fills, zeros, ones and ranges on the device", () => {
    assert.deepEqual(Array.from(tf.fill([2, 3], 2.5).dataSync()), [2.5, 2.5, 2.5, 2.5, 2.5, 2.5]);
    assert.deepEqual(Array.from(tf.fill([2], -7, "int32").dataSync()), [-7, -7]);
    assert.deepEqual(Array.from(tf.zerosLike(tf.tensor([4, 5, 6])).dataSync()), [0, 0, 0]);
    const ones = tf.onesLike(tf.tensor([4, 5], [2], "int32"));
    assert.equal(ones.dtype, "int32");
    assert.deepEqual(Array.from(ones.dataSync()), [1, 1]);
    assert.deepEqual(Array.from(tf.onesLike(tf.tensor([false, true])).dataSync()), [1, 1]);
    assert.deepEqual(Array.from(tf.range(0, 1, 0.25).dataSync()), [0, 0.25, 0.5, 0.75]);
    assert.deepEqual(Array.from(tf.range(5, 0, -2, "int32").dataSync()), [5, 3, 1]);
  });

  it("slices, concatenates, stacks and splits contiguous blocks with device copies", () => {
    const x = tf.tensor2d([[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]);
    assert.deepEqual(Array.from(tf.slice(x, [1, 0], [2, 3]).dataSync()), [3, 4, 5, 6, 7, 8]);
    const joined = tf.concat([x, tf.tensor2d([[12, 13, 14]])], 0);
    assert.deepEqual(joined.shape, [5, 3]);
    assert.equal(joined.dataSync()[13], 13);
    const stacked = tf.stack([tf.tensor([1, 2]), tf.tensor([3, 4])]);
    assert.deepEqual(stacked.arraySync(), [[1, 2], [3, 4]]);
    const [top, rest] = tf.split(x, [1, 3], 0);
    assert.deepEqual(top!.arraySync(), [[0, 1, 2]]);
    assert.deepEqual(rest!.shape, [3, 3]);
    assert.deepEqual(tf.unstack(x).map((t) => t.arraySync()), [[0, 1, 2], [3, 4, 5], [6, 7, 8], [9, 10, 11]]);
    assert.equal(device.launches.length, 0);
  });

  it("casts int32 to bool-compatible storage and back without a kernel when only the tag changes", () => {
    const b = tf.tensor([true, false, true]);
    const i = tf.cast(b, "int32");
    assert.equal(i.dtype, "int32");
    assert.deepEqual(Array.from(i.dataSync()), [1, 0, 1]);
  });

  it("moves tensors created on the cpu backend onto the device on first use", async () => {
    await tf.setBackend("cpu");
    const x = tf.tensor([[1, 2], [3, 4]]);
    await tf.setBackend("cuda");
    const y = x.reshape([4]);
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3, 4]);
    tf.dispose([x, y]);
  });

  it("keeps string tensors on the host", () => {
    const s = tf.tensor(["a", "bc"]);
    assert.deepEqual(s.dataSync(), ["a", "bc"]);
    s.dispose();
  });

  it("rejects complex64 with an error that says what to do", () => {
    assert.throws(() => backend.write(new Float32Array(4), [2], "complex64"), (error: unknown) => error instanceof CudaUnsupportedError && /cpu backend/.test((error as Error).message));
  });

  it("fails an allocation beyond device memory with sizes in the message, and keeps working", () => {
    assert.throws(() => tf.fill([32 * 1024 * 1024], 1), (error: unknown) => {
      assert.ok(error instanceof CudaOutOfMemoryError);
      assert.match(error.message, /tried to allocate 128 MiB/);
      assert.match(error.message, /of 64\.0 MiB/);
      return true;
    });
    assert.deepEqual(Array.from(tf.fill([3], 1).dataSync()), [1, 1, 1]);
  });

  it("reports a kernel it cannot run on this device as an error, not a crash", () => {
    assert.throws(() => tf.add(tf.tensor([1]), tf.tensor([2])), /cannot run GPU kernel elementwise\/binary_add_f32/);
  });
});
