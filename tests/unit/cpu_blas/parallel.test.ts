import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { LOOPS } from "../../../kernel/backends/cpu_blas/kernel_utils/loops.js";
import { cpuThreadCount, PARALLEL_MIN_ELEMENTS, parallelUnavailableReason, runRange } from "../../../kernel/backends/cpu_blas/kernel_utils/parallel/thread_pool.js";
import { assertSameOnBothBackends, random, randomValues, skipReason } from "./compare.js";

const BIG = PARALLEL_MIN_ELEMENTS + 12_345;

function shared(values: Float32Array): Float32Array {
  const array = new Float32Array(new SharedArrayBuffer(values.length * 4));
  array.set(values);
  return array;
}

describe("parallel range loops", () => {
  const multiThreaded = cpuThreadCount() > 1 ? false : "one core: nothing to split";

  it("use worker threads on this machine", { skip: multiThreaded }, () => {
    assert.equal(parallelUnavailableReason(), undefined);
  });

  it("give the serial loop's result bit for bit, split or not", () => {
    const x = shared(randomValues(BIG, 1));
    const y = shared(randomValues(BIG, 2));
    const split = new Float32Array(new SharedArrayBuffer(BIG * 4));
    const serial = new Float32Array(BIG);
    runRange(LOOPS["RealDiv.same"]!, [x, y, split], [], BIG);
    LOOPS["RealDiv.same"]!.loop([x, y, serial], [], 0, BIG);
    assert.deepEqual(split, serial);
  });

  it("write a short output that is not shared (a sum over rows) back to the caller's array", () => {
    const columns = 64;
    const rows = Math.ceil(BIG / columns);
    const x = shared(randomValues(rows * columns, 3));
    const out = new Float32Array(columns);
    runRange(LOOPS.SumLeading!, [x, out], [rows], columns, rows);
    const expected = new Float32Array(columns);
    LOOPS.SumLeading!.loop([x, expected], [rows], 0, columns);
    assert.deepEqual(out, expected);
    assert.notEqual(out[0], 0);
  });

  it("run on the main thread when a long array is not shared", () => {
    const x = randomValues(BIG, 4);
    const out = new Float32Array(BIG);
    runRange(LOOPS.Relu!, [x, out], [], BIG);
    assert.deepEqual(out, x.map((v) => Math.max(0, v)));
  });

  it("do not keep the process alive once the work is done", () => {
    const script = `
      const { runRange } = require(${JSON.stringify(require.resolve("../../../kernel/backends/cpu_blas/kernel_utils/parallel/thread_pool.js"))});
      const { LOOPS } = require(${JSON.stringify(require.resolve("../../../kernel/backends/cpu_blas/kernel_utils/loops.js"))});
      const n = ${BIG};
      const x = new Float32Array(new SharedArrayBuffer(n * 4)).fill(-1);
      const o = new Float32Array(new SharedArrayBuffer(n * 4));
      runRange(LOOPS.Relu, [x, o], [], n);
      console.log(o.every((v) => v === 0) ? "ok" : "wrong");`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", timeout: 20_000 });
    assert.equal(result.signal, null, "the process did not exit by itself");
    assert.equal(result.stdout.trim(), "ok", result.stderr);
  });

  it("stay on one thread with TSGPU_CPU_THREADS=1", () => {
    const script = `
      const { parallelUnavailableReason } = require(${JSON.stringify(require.resolve("../../../kernel/backends/cpu_blas/kernel_utils/parallel/thread_pool.js"))});
      console.log(parallelUnavailableReason());`;
    const result = spawnSync(process.execPath, ["-e", script], { encoding: "utf8", env: { ...process.env, TSGPU_CPU_THREADS: "1" } });
    assert.match(result.stdout, /one thread/);
  });
});

describe("cpu-blas kernels on tensors big enough to be split across threads", { skip: skipReason }, () => {
  it("match tfjs cpu for a bias add, relu and its gradient, and the bias gradient", async () => {
    const x = () => random([128, 12, 12, 16], 5);
    const bias = () => random([16], 6);
    await assertSameOnBothBackends(() => tf.add(x(), bias()), "bias add", 1e-6, 1e-6);
    await assertSameOnBothBackends(() => tf.relu(x()), "relu", 0, 0);
    await assertSameOnBothBackends(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), random([128, 12, 12, 16], 7))))(x()), "relu gradient", 0, 0);
    await assertSameOnBothBackends(() => tf.sum(x(), [0, 1, 2]), "sum over leading axes", 1e-3, 1e-4);
    await assertSameOnBothBackends(() => tf.sum(x(), [3]), "sum over the last axis", 1e-5, 1e-5);
    await assertSameOnBothBackends(() => tf.div(x(), random([128, 12, 12, 1], 8)), "column division", 1e-6, 1e-6);
  });

  it("match tfjs cpu for 2x2 max pooling and its gradient", async () => {
    const x = () => random([64, 24, 24, 16], 9) as tf.Tensor4D;
    await assertSameOnBothBackends(() => tf.maxPool(x(), 2, 2, "valid"), "max pool", 0, 0);
    await assertSameOnBothBackends(() => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, 2, 2, "valid"), random([64, 12, 12, 16], 10))))(x()), "max pool gradient", 0, 0);
  });

  it("match tfjs cpu for Adam on a 300k-parameter variable", async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const variable = tf.variable(random([600, 500], 11));
      const optimizer = tf.train.adam(0.01);
      for (let step = 0; step < 3; step++) optimizer.applyGradients({ [variable.name]: random([600, 500], 12 + step) } as never);
      const values = variable.dataSync().slice() as Float32Array;
      variable.dispose();
      optimizer.dispose();
      return values;
    };
    const expected = await run("cpu");
    const actual = await run("cpu-blas");
    for (let i = 0; i < expected.length; i++) assert.ok(Math.abs(actual[i]! - expected[i]!) <= 1e-5 + 1e-4 * Math.abs(expected[i]!), `element ${i}: ${actual[i]} vs ${expected[i]}`);
  });
});
