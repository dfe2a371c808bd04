import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertSameOnBothBackends, random, skipReason } from "./compare.js";

/** Operand layouts the fast loops cover, and two they leave to tfjs's kernel. */
const layouts: Array<[string, number[], number[]]> = [
  ["same shape", [37, 11], [37, 11]],
  ["a scalar on the right", [37, 11], []],
  ["a scalar on the left", [], [37, 11]],
  ["a row on the right (a bias)", [5, 37, 11], [11]],
  ["a [1, n] row on the left", [1, 11], [37, 11]],
  ["a column on the right (softmax's [batch, 1])", [37, 11], [37, 1]],
  ["a column on the left", [37, 1], [37, 11]],
  ["a rank-3 column", [3, 37, 1], [3, 37, 11]],
  ["an outer product (general broadcast)", [37, 1], [1, 11]],
  ["a middle axis (general broadcast)", [4, 1, 6], [4, 5, 6]],
  ["zero elements", [0, 11], [0, 11]],
];

const binaryOps: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
  ["add", tf.add],
  ["sub", tf.sub],
  ["mul", tf.mul],
  ["div", tf.div],
];

describe("cpu-blas elementwise kernels", { skip: skipReason }, () => {
  for (const [layout, aShape, bShape] of layouts) {
    it(`match tfjs cpu for add, sub, mul and div with ${layout}`, async () => {
      for (const [name, op] of binaryOps) {
        await assertSameOnBothBackends(() => op(random(aShape, 1), random(bShape, 2)), `${name} [${aShape}] [${bShape}]`, 1e-6, 1e-6);
      }
    });
  }

  it("match tfjs cpu for the unary ops, NaN, infinities and negative zero included", async () => {
    const special = () => tf.tensor1d([Number.NaN, Infinity, -Infinity, -0, 0, -2.5, 0.5, 3]);
    const ops: Array<(x: tf.Tensor) => tf.Tensor> = [tf.sqrt, tf.square, tf.neg, tf.relu, tf.exp, tf.log, tf.floor, tf.step];
    for (const op of ops) {
      await assertSameOnBothBackends(() => op(special()), `${op.name} special values`, 1e-6, 1e-6);
      await assertSameOnBothBackends(() => op(random([300, 70], 3)), `${op.name} random`, 1e-6, 1e-6);
    }
  });

  it("leave int32 arithmetic to tfjs's kernels", async () => {
    await assertSameOnBothBackends(() => tf.add(tf.tensor2d([[1, 2]], [1, 2], "int32"), tf.tensor1d([3, 4], "int32")), "int32 add");
  });
});

describe("cpu-blas softmax", { skip: skipReason }, () => {
  it("matches tfjs cpu on rows of random logits, of large logits and of one column", async () => {
    await assertSameOnBothBackends(() => tf.softmax(random([37, 11], 5)), "[37, 11]", 1e-6, 1e-5);
    await assertSameOnBothBackends(() => tf.softmax(tf.mul(random([4, 3, 9], 6), 80)), "large logits", 1e-6, 1e-5);
    await assertSameOnBothBackends(() => tf.softmax(random([5, 1], 7)), "one column", 1e-6, 1e-5);
  });

  it("matches tfjs cpu for the softmax gradient", async () => {
    const dy = () => random([6, 5], 9);
    await assertSameOnBothBackends(() => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), dy())))(random([6, 5], 8)), "gradient", 1e-6, 1e-5);
  });
});

describe("cpu-blas mean", { skip: skipReason }, () => {
  it("matches tfjs cpu over leading, trailing and middle axes, with keepDims, over everything and for int32", async () => {
    const x = () => random([6, 5, 7], 11);
    await assertSameOnBothBackends(() => tf.mean(x()), "all axes", 1e-6, 1e-5);
    await assertSameOnBothBackends(() => tf.mean(x(), 0), "leading", 1e-6, 1e-5);
    await assertSameOnBothBackends(() => tf.mean(x(), [1, 2], true), "trailing, keepDims", 1e-6, 1e-5);
    await assertSameOnBothBackends(() => tf.mean(x(), 1), "middle", 1e-6, 1e-5);
    await assertSameOnBothBackends(() => tf.mean(tf.tensor2d([[1, 2], [4, 7]], [2, 2], "int32"), 1), "int32", 1e-6, 1e-5);
    await assertSameOnBothBackends(() => tf.mean(tf.zeros([0, 3]), 0), "zero rows", 1e-6, 1e-5);
  });
});
