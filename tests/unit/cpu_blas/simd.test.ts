import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { float32Pool } from "../../../kernel/backends/cpu_blas/kernel_utils/buffer_pool.js";
import { LOOPS } from "../../../kernel/backends/cpu_blas/kernel_utils/loops.js";
import { runLoop, simdHeap, simdUnavailableReason } from "../../../kernel/backends/cpu_blas/kernel_utils/simd.js";
import { HEAP_MAX_LENGTH, WasmHeap } from "../../../kernel/backends/cpu_blas/kernel_utils/wasm/heap.js";
import { assertSameOnBothBackends, random, randomValues, skipReason } from "./compare.js";

const simdSkip = simdUnavailableReason() ?? false;

/** Random values with NaN, infinities and both zeros sprinkled in. */
function specialValues(length: number, seed: number): Float32Array {
  const values = randomValues(length, seed);
  const specials = [Number.NaN, Infinity, -Infinity, 0, -0, 1e-40, -3];
  for (let i = 0; i < length; i += 17) values[i] = specials[(i / 17) % specials.length]!;
  return values;
}

/** A heap array holding `values`. */
function onHeap(values: Float32Array): Float32Array {
  const array = simdHeap()!.alloc(values.length)!;
  array.set(values);
  return array;
}

/** Asserts equal float32 values, NaN equal to NaN and -0 distinct from +0. */
function assertSameBits(actual: Float32Array, expected: Float32Array, label: string): void {
  assert.equal(actual.length, expected.length, label);
  for (let i = 0; i < expected.length; i++) {
    assert.ok(Object.is(actual[i], expected[i]), `${label}[${i}]: ${actual[i]} against ${expected[i]}`);
  }
}

/** Runs loop `name` as SIMD (arrays on the heap, outputs fresh) and as the JavaScript loop, and returns both outputs. */
function bothWays(name: string, inputs: Float32Array[], outputs: number, scalars: number[], units: number, width = 1): [Float32Array[], Float32Array[]] {
  const length = units * width;
  const simdOut = Array.from({ length: outputs }, () => simdHeap()!.alloc(length)!);
  runLoop(name, [...inputs.map(onHeap), ...simdOut], scalars, units, width);
  const jsOut = Array.from({ length: outputs }, () => new Float32Array(length));
  LOOPS[name]!.loop([...inputs, ...jsOut], scalars, 0, units);
  return [simdOut, jsOut];
}

describe("WasmHeap", () => {
  it("hands a block out again only after every view of it is released", () => {
    const heap = new WasmHeap();
    const a = heap.alloc(3000)!;
    heap.retain(a);
    heap.retain(a.subarray(1500, 1600)); // a view held by a second entry, as tfjs's slice makes
    heap.release(a);
    assert.notEqual(heap.alloc(3000)!.byteOffset, a.byteOffset, "still held by the view");
    heap.release(a.subarray(1500, 1600));
    assert.equal(heap.heldBytes, 12288);
    assert.equal(heap.alloc(3000)!.byteOffset, a.byteOffset);
    assert.equal(heap.heldBytes, 0);
  });

  it("grows its memory as blocks are taken, and views made before keep their values", () => {
    const heap = new WasmHeap();
    const first = heap.alloc(1000)!;
    first.fill(7);
    const more = Array.from({ length: 40 }, () => heap.alloc(HEAP_MAX_LENGTH - 1)!);
    assert.ok(heap.reservedBytes >= 4096 + 40 * 4 * HEAP_MAX_LENGTH, `reserved ${heap.reservedBytes}`);
    assert.ok(first.every((v) => v === 7));
    assert.ok(heap.owns(first) && more.every((array) => heap.owns(array)));
    assert.equal(heap.owns(new Float32Array(1000)), false);
  });
});

describe("SIMD loops", { skip: simdSkip }, () => {
  const n = 1027; // not a whole number of vectors
  for (const op of ["Add", "Sub", "Multiply", "RealDiv"]) {
    it(`${op} gives the JavaScript loop's float32 results for every operand layout, special values included`, () => {
      const x = specialValues(n, 1);
      const y = specialValues(n, 2);
      const same = bothWays(`${op}.same`, [x, y], 1, [], n);
      assertSameBits(same[0][0]!, same[1][0]!, `${op}.same`);
      for (const layout of ["scalarA", "scalarB"]) {
        const [simd, js] = bothWays(`${op}.${layout}`, [x], 1, [-0.75], n);
        assertSameBits(simd[0]!, js[0]!, `${op}.${layout}`);
      }
      // Rows of 12 run as SIMD; rows of 10 are not whole vectors and run the JavaScript loop.
      for (const width of [12, 10]) {
        const rows = 111;
        const full = specialValues(rows * width, 3);
        const row = specialValues(width, 4);
        const b = bothWays(`${op}.rowB`, [full, row], 1, [], rows, width);
        assertSameBits(b[0][0]!, b[1][0]!, `${op}.rowB width ${width}`);
        const a = bothWays(`${op}.rowA`, [row, full], 1, [], rows, width);
        assertSameBits(a[0][0]!, a[1][0]!, `${op}.rowA width ${width}`);
      }
    });
  }

  it("Relu, Neg, Sqrt and the ReLU gradient give the JavaScript loops' results, NaN and -0 included", () => {
    for (const name of ["Relu", "Neg", "Sqrt"]) {
      const [simd, js] = bothWays(name, [specialValues(n, 5)], 1, [], n);
      assertSameBits(simd[0]!, js[0]!, name);
    }
    const [simd, js] = bothWays("ReluGrad", [specialValues(n, 6), specialValues(n, 7)], 1, [], n);
    assertSameBits(simd[0]!, js[0]!, "ReluGrad");
  });

  it("AdamUpdate matches the JavaScript loop within float32 rounding", () => {
    const value = randomValues(n, 8);
    const gradient = randomValues(n, 9);
    const first = randomValues(n, 10).map((v) => v * 0.1);
    const second = randomValues(n, 11).map((v) => v * v * 0.01);
    const scalars = [0.9, 0.1, 0.999, 0.001, 0.001 / (1 - 0.9 ** 3), 1 / (1 - 0.999 ** 3), 1e-7];
    const [simd, js] = bothWays("AdamUpdate", [value, gradient, first, second], 3, scalars, n);
    for (let k = 0; k < 3; k++) {
      for (let i = 0; i < n; i++) {
        assert.ok(Math.abs(simd[k]![i]! - js[k]![i]!) <= 1e-7 + 1e-5 * Math.abs(js[k]![i]!), `output ${k}[${i}]: ${simd[k]![i]} against ${js[k]![i]}`);
      }
    }
  });

  it("writes nothing past an output's block when its length is not a whole number of vectors", () => {
    const out = simdHeap()!.alloc(n)!;
    const next = simdHeap()!.alloc(n)!;
    next.fill(5);
    runLoop("Add.same", [onHeap(randomValues(n, 12)), onHeap(randomValues(n, 13)), out], [], n);
    assert.ok(next.every((v) => v === 5));
  });

  it("copies short arrays off the heap (a bias, a column) in and out, and runs long ones as JavaScript", () => {
    const full = onHeap(randomValues(64 * 16, 14));
    const bias = randomValues(16, 15); // an ordinary array, as tfjs makes for a variable's first value
    const out = simdHeap()!.alloc(full.length)!;
    runLoop("Add.rowB", [full, bias, out], [], 64, 16);
    const expected = new Float32Array(full.length);
    LOOPS["Add.rowB"]!.loop([full, bias, expected], [], 0, 64);
    assertSameBits(out, expected, "staged bias");
    const offHeap = new Float32Array(5000);
    runLoop("Neg", [randomValues(5000, 16), offHeap], [], 5000);
    assert.equal(offHeap[1], -randomValues(5000, 16)[1]!);
  });
});

describe("cpu-blas with SIMD loops", { skip: skipReason || simdSkip }, () => {
  /** Passes a tensor through a kernel so that its values live on the heap, as training-step tensors do. */
  const heapTensor = (shape: number[], seed: number) => tf.mul(random(shape, seed), 1);

  it("puts mid-sized kernel outputs on the heap and recycles them through the pool", async () => {
    await tf.setBackend("cpu-blas");
    const a = heapTensor([37, 44], 1);
    const values = (tf.backend() as unknown as { data: { get(id: object): { values: Float32Array } } }).data.get(a.dataId).values;
    assert.ok(simdHeap()!.owns(values) && float32Pool.isPooled(values));
    a.dispose();
  });

  it("matches tfjs cpu for elementwise ops, a bias, a column, ReLU and its gradient on heap tensors", async () => {
    const cases: Array<[string, () => tf.Tensor]> = [
      ["add", () => tf.add(heapTensor([37, 44], 1), heapTensor([37, 44], 2))],
      ["div by a scalar", () => tf.div(heapTensor([37, 44], 1), tf.scalar(3))],
      ["sub a bias", () => tf.sub(heapTensor([37, 44], 1), random([44], 3))],
      ["a bias of odd width", () => tf.add(heapTensor([37, 45], 1), random([45], 3))],
      ["mul by a column", () => tf.mul(heapTensor([37, 44], 1), random([37, 1], 4))],
      ["relu", () => tf.relu(heapTensor([37, 44], 5))],
      ["relu gradient", () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), random([37, 44], 6))))(heapTensor([37, 44], 7))],
    ];
    for (const [label, fn] of cases) await assertSameOnBothBackends(fn, label, 1e-6, 1e-6);
  });

  it("turns off with TSGPU_CPU_SIMD=0, and mid-sized arrays are then ordinary ones", () => {
    const script = `const { simdUnavailableReason } = require(${JSON.stringify(require.resolve("../../../kernel/backends/cpu_blas/kernel_utils/simd.js"))});
const { float32Pool } = require(${JSON.stringify(require.resolve("../../../kernel/backends/cpu_blas/kernel_utils/buffer_pool.js"))});
console.log(JSON.stringify({ reason: simdUnavailableReason(), shared: float32Pool.alloc(3000).buffer instanceof SharedArrayBuffer }));`;
    const result = spawnSync(process.execPath, ["-e", script], { env: { ...process.env, TSGPU_CPU_SIMD: "0" }, encoding: "utf8" });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), { reason: "turned off by TSGPU_CPU_SIMD=0", shared: false });
  });
});
