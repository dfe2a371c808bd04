import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { ADAM_UPDATE_KERNEL, RELU_GRAD_KERNEL } from "../../../kernel/tensor/fused/index.js";
import { assertClose, assertSameOnBothBackends, random, type Result, skipReason } from "./compare.js";

/** Minimises a small least-squares loss with tf.train.adam for `steps` steps; returns the variables and optimizer weights. */
async function minimise(backend: string, steps: number, switchTo?: string): Promise<{ results: Result[]; kernels: string[] }> {
  await tf.setBackend(backend);
  const w = tf.variable(random([7, 3], 1), true, "fused_adam_w");
  const b = tf.variable(random([3], 2), true, "fused_adam_b");
  const x = random([16, 7], 3);
  const target = random([16, 3], 4);
  const optimizer = tf.train.adam(0.05);
  const loss = () => tf.losses.meanSquaredError(target, tf.add(tf.matMul(x, w), b)) as tf.Scalar;
  const profile = await tf.profile(() => {
    for (let step = 0; step < steps; step++) optimizer.minimize(loss);
  });
  if (switchTo) {
    await tf.setBackend(switchTo);
    for (let step = 0; step < 2; step++) optimizer.minimize(loss);
  }
  const state = await optimizer.getWeights();
  const results: Result[] = [w, b, ...state.map((s) => s.tensor)].map((t) => ({ shape: t.shape.slice(), values: Float32Array.from(t.dataSync()) }));
  assert.deepEqual(state.map((s) => s.name), ["iter", "fused_adam_w/m", "fused_adam_b/m", "fused_adam_w/v", "fused_adam_b/v"]);
  tf.dispose([w, b, x, target]);
  optimizer.dispose();
  return { results, kernels: profile.kernels.map((k) => k.name) };
}

describe("fused Adam (tf.train.adam on cpu-blas)", { skip: skipReason }, () => {
  it("updates each variable with one fused kernel and matches tfjs's Adam on cpu over 20 steps", async () => {
    const reference = await minimise("cpu", 20);
    const fused = await minimise("cpu-blas", 20);
    assert.equal(reference.kernels.filter((k) => k === ADAM_UPDATE_KERNEL).length, 0);
    assert.equal(fused.kernels.filter((k) => k === ADAM_UPDATE_KERNEL).length, 2 * 20);
    assert.ok(fused.kernels.length < reference.kernels.length - 20 * 2 * 10, `${fused.kernels.length} kernels against ${reference.kernels.length}`);
    assertClose(fused.results, reference.results, 1e-5, 1e-4, "variables and moments");
  });

  it("keeps tfjs's optimizer state, so training goes on after a switch to a backend without the kernel", async () => {
    const reference = await minimise("cpu", 5, "cpu");
    const switched = await minimise("cpu-blas", 5, "cpu");
    assertClose(switched.results, reference.results, 1e-5, 1e-4, "after switching to cpu");
  });

  it("leaves a gradient that broadcasts to tfjs's Adam, with tfjs's result", async () => {
    const run = async (backend: string) => {
      await tf.setBackend(backend);
      const variable = tf.variable(tf.tensor1d([1, 2, 3]));
      const optimizer = tf.train.adam(0.1);
      optimizer.applyGradients({ [variable.name]: tf.scalar(1) } as never);
      const values = Float32Array.from(variable.dataSync());
      variable.dispose();
      optimizer.dispose();
      return values;
    };
    assertClose([{ shape: [3], values: await run("cpu-blas") }], [{ shape: [3], values: await run("cpu") }], 1e-6, 1e-6);
  });

  it("skips variables without a gradient, as tfjs does", async () => {
    await tf.setBackend("cpu-blas");
    const used = tf.variable(tf.tensor1d([1, 2]), true, "fused_adam_used");
    const unused = tf.variable(tf.tensor1d([5, 6]), true, "fused_adam_unused");
    const optimizer = tf.train.adam(0.1);
    optimizer.applyGradients({ fused_adam_used: tf.tensor1d([1, -1]) } as unknown as Parameters<typeof optimizer.applyGradients>[0]);
    assert.deepEqual(Array.from(unused.dataSync()), [5, 6]);
    // First Adam step: each parameter moves by the learning rate against its gradient's sign.
    assertClose([{ shape: [2], values: used.dataSync() as Float32Array }], [{ shape: [2], values: Float32Array.from([0.9, 2.1]) }], 1e-6, 1e-5);
    tf.dispose([used, unused]);
    optimizer.dispose();
  });
});

describe("fused ReLU gradient (tf.relu's gradient on cpu-blas)", { skip: skipReason }, () => {
  const special = () => tf.tensor1d([Number.NaN, -1, -0, 0, 2, 3, -4, 5]);
  const upstream = () => tf.tensor1d([1, 2, -3, 4, Number.NaN, -6, Infinity, 8]);

  it("matches tfjs cpu, NaN inputs and NaN or infinite upstream gradients included", async () => {
    const gradient = () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), upstream())))(special());
    await assertSameOnBothBackends(gradient, "special values", 0, 0);
    await assertSameOnBothBackends(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.relu(x), random([40, 30], 2))))(random([40, 30], 1)), "random", 0, 0);
  });

  it("runs as one kernel instead of Step and Multiply", async () => {
    await tf.setBackend("cpu-blas");
    const x = random([64, 32], 3);
    const profile = await tf.profile(() => tf.grad((v: tf.Tensor) => tf.sum(tf.relu(v)))(x));
    const names = profile.kernels.map((k) => k.name);
    assert.ok(names.includes(RELU_GRAD_KERNEL), names.join(", "));
    assert.ok(!names.includes("Step"), names.join(", "));
    x.dispose();
  });

  it("has a gradient itself (second derivatives match tfjs cpu)", async () => {
    const secondOrder = () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.grad((y: tf.Tensor) => tf.sum(tf.mul(tf.relu(y), y)))(x), x)))(random([10, 7], 4));
    await assertSameOnBothBackends(secondOrder, "second order", 1e-6, 1e-6);
  });
});
