import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertSameOnBothBackends, random, skipReason } from "./compare.js";

describe("cpu-blas matMul", { skip: skipReason }, () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[1, 1], [1, 1], false, false],
    [[7, 13], [13, 5], false, false],
    [[13, 7], [13, 5], true, false],
    [[7, 13], [5, 13], false, true],
    [[13, 7], [5, 13], true, true],
    [[128, 784], [784, 128], false, false],
    [[3, 4, 5], [3, 5, 6], false, false],
    [[2, 3, 5, 4], [2, 3, 6, 5], true, true],
    [[4, 3, 5], [5, 2], false, false],
    [[1, 3, 5], [4, 5, 2], false, false],
  ];
  for (const [aShape, bShape, ta, tb] of cases) {
    it(`matches tfjs cpu for [${aShape}] x [${bShape}] transposeA=${ta} transposeB=${tb}`, async () => {
      await assertSameOnBothBackends(() => tf.matMul(random(aShape, 1), random(bShape, 2), ta, tb), "matMul");
    });
  }

  it("gives an empty result for zero rows and zeros for a zero inner size", async () => {
    await assertSameOnBothBackends(() => tf.matMul(random([0, 5], 1), random([5, 3], 2)), "zero rows");
    await assertSameOnBothBackends(() => tf.matMul(tf.zeros([4, 0]), tf.zeros([0, 3])), "zero inner");
  });

  it("falls back to tfjs's kernel for int32 operands", async () => {
    await assertSameOnBothBackends(() => tf.matMul(tf.tensor2d([[1, 2], [3, 4]], undefined, "int32"), tf.tensor2d([[5], [6]], undefined, "int32")), "int32");
  });

  it("rejects mismatched inner sizes with the shapes in the message", async () => {
    await tf.setBackend("cpu-blas");
    assert.throws(() => tf.matMul(tf.zeros([2, 3]), tf.zeros([4, 2])), /inner shapes/);
  });

  it("matches tfjs cpu for gradients through matMul", async () => {
    await assertSameOnBothBackends(() => {
      const a = random([9, 17], 3);
      const b = random([17, 6], 4);
      const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.matMul(x, y).square().sum())([a, b]);
      return [ga!, gb!];
    }, "matMul gradients");
  });
});

describe("cpu-blas fused matMul", { skip: skipReason }, () => {
  const activations = ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"] as const;
  for (const activation of activations) {
    it(`matches tfjs cpu with a per-column bias and ${activation}`, async () => {
      await assertSameOnBothBackends(
        () => tf.fused.matMul({ a: random([11, 19], 5), b: random([19, 7], 6), bias: random([7], 7), activation, leakyreluAlpha: 0.3 }),
        `fused ${activation}`,
      );
    });
  }

  it("matches tfjs cpu with prelu and a bias that broadcasts along rows", async () => {
    await assertSameOnBothBackends(
      () => tf.fused.matMul({ a: random([5, 8], 8), b: random([8, 4], 9), bias: random([5, 1], 10), activation: "prelu", preluActivationWeights: random([4], 11) }),
      "fused prelu",
    );
  });

  it("matches tfjs cpu with transposes and no bias", async () => {
    await assertSameOnBothBackends(() => tf.fused.matMul({ a: random([8, 5], 12), b: random([3, 8], 13), transposeA: true, transposeB: true, activation: "relu" }), "fused transposed");
  });

  it("matches tfjs cpu for gradients through fused matMul with bias and relu", async () => {
    await assertSameOnBothBackends(() => {
      const f = (a: tf.Tensor, b: tf.Tensor, bias: tf.Tensor) =>
        tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias, activation: "relu" }).mul(random([10, 6], 17)).sum();
      const g = tf.grads(f)([random([10, 12], 14), random([12, 6], 15), random([6], 16)]);
      return g;
    }, "fused gradients");
  });
});
