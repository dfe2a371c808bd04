import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertSameOnBothBackends, random, skipReason } from "./compare.js";

type Pad = "same" | "valid" | number;
interface ConvCase {
  x: [number, number, number, number];
  filter: [number, number, number, number];
  strides: [number, number];
  pad: Pad;
  dilations: [number, number];
}

const convCases: ConvCase[] = [
  { x: [2, 9, 11, 3], filter: [3, 3, 3, 5], strides: [1, 1], pad: "valid", dilations: [1, 1] },
  { x: [3, 10, 7, 2], filter: [3, 2, 2, 4], strides: [2, 1], pad: "same", dilations: [1, 1] },
  { x: [1, 12, 12, 1], filter: [5, 5, 1, 8], strides: [2, 2], pad: "same", dilations: [1, 1] },
  { x: [2, 8, 9, 4], filter: [1, 1, 4, 6], strides: [1, 1], pad: "valid", dilations: [1, 1] },
  { x: [2, 6, 6, 3], filter: [2, 2, 3, 2], strides: [1, 1], pad: 1, dilations: [1, 1] },
  { x: [4, 28, 28, 1], filter: [3, 3, 1, 32], strides: [1, 1], pad: "valid", dilations: [1, 1] },
  { x: [2, 13, 13, 32], filter: [3, 3, 32, 16], strides: [1, 1], pad: "valid", dilations: [1, 1] },
  { x: [2, 9, 10, 12], filter: [3, 3, 12, 5], strides: [1, 1], pad: "same", dilations: [1, 1] },
  { x: [3, 7, 6, 8], filter: [2, 4, 8, 3], strides: [1, 1], pad: 2, dilations: [1, 1] },
  { x: [1, 6, 5, 16], filter: [1, 1, 16, 4], strides: [1, 1], pad: 1, dilations: [1, 1] },
  { x: [2, 10, 10, 9], filter: [3, 3, 9, 6], strides: [2, 2], pad: "same", dilations: [1, 1] },
];
const dilatedCases: ConvCase[] = [
  { x: [2, 11, 10, 3], filter: [3, 3, 3, 4], strides: [1, 1], pad: "valid", dilations: [2, 2] },
  { x: [1, 9, 9, 2], filter: [2, 3, 2, 3], strides: [1, 1], pad: "same", dilations: [2, 3] },
  { x: [2, 11, 10, 8], filter: [3, 3, 8, 4], strides: [1, 1], pad: "valid", dilations: [2, 2] },
  { x: [1, 9, 12, 10], filter: [2, 3, 10, 3], strides: [1, 1], pad: "same", dilations: [3, 2] },
];
const describeCase = (c: ConvCase) => `x [${c.x}] filter [${c.filter}] strides ${c.strides} pad ${c.pad} dilations ${c.dilations}`;

describe("cpu-blas conv2d", { skip: skipReason }, () => {
  for (const c of [...convCases, ...dilatedCases]) {
    it(`matches tfjs cpu for ${describeCase(c)}`, async () => {
      await assertSameOnBothBackends(() => tf.conv2d(random(c.x, 1) as tf.Tensor4D, random(c.filter, 2) as tf.Tensor4D, c.strides, c.pad, "NHWC", c.dilations), "conv2d");
    });
  }

  for (const c of convCases) {
    it(`matches tfjs cpu for input and filter gradients, ${describeCase(c)}`, async () => {
      await assertSameOnBothBackends(() => {
        const f = (x: tf.Tensor, w: tf.Tensor) => {
          const y = tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, c.strides, c.pad);
          return y.mul(random(y.shape, 3)).sum();
        };
        return tf.grads(f)([random(c.x, 1), random(c.filter, 2)]);
      }, "conv2d gradients");
    });
  }

  it("matches tfjs cpu for conv2dTranspose (Conv2DBackpropInput) with stride 2", async () => {
    await assertSameOnBothBackends(() => tf.conv2dTranspose(random([2, 5, 5, 4], 4) as tf.Tensor4D, random([3, 3, 6, 4], 5) as tf.Tensor4D, [2, 11, 11, 6], 2, "valid"), "conv2dTranspose");
  });

  it("gives an empty result for an empty batch", async () => {
    await assertSameOnBothBackends(() => tf.conv2d(tf.zeros([0, 5, 5, 2]) as tf.Tensor4D, random([3, 3, 2, 4], 6) as tf.Tensor4D, 1, "same"), "empty batch");
  });

  it("matches tfjs cpu for NCHW by falling back to tfjs's kernel", async () => {
    await assertSameOnBothBackends(() => tf.conv2d(random([1, 2, 6, 6], 7) as tf.Tensor4D, random([3, 3, 2, 3], 8) as tf.Tensor4D, 1, "valid", "NCHW"), "NCHW");
  });

  for (const activation of ["relu", "linear", "sigmoid", "elu", "relu6", "leakyrelu"] as const) {
    it(`matches tfjs cpu for fused conv2d with bias and ${activation}`, async () => {
      await assertSameOnBothBackends(
        () => tf.fused.conv2d({ x: random([2, 7, 8, 3], 9) as tf.Tensor4D, filter: random([3, 3, 3, 5], 10) as tf.Tensor4D, strides: 1, pad: "same", bias: random([5], 11), activation, leakyreluAlpha: 0.3 }),
        `fused conv2d ${activation}`,
      );
    });
  }

  it("matches tfjs cpu for fused conv2d with prelu (general epilogue) and its gradients", async () => {
    await assertSameOnBothBackends(
      () => tf.fused.conv2d({ x: random([1, 6, 6, 2], 12) as tf.Tensor4D, filter: random([2, 2, 2, 3], 13) as tf.Tensor4D, strides: 1, pad: "valid", bias: random([3], 14), activation: "prelu", preluActivationWeights: random([3], 15) }),
      "fused prelu",
    );
    await assertSameOnBothBackends(() => {
      const f = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) =>
        tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 2, pad: "same", bias: b, activation: "relu" }).mul(random([2, 4, 4, 5], 19)).sum();
      return tf.grads(f)([random([2, 7, 8, 3], 16), random([3, 3, 3, 5], 17), random([5], 18)]);
    }, "fused conv2d gradients");
  });
});

describe("cpu-blas pooling", { skip: skipReason }, () => {
  const poolCases: { x: [number, number, number, number]; size: [number, number]; strides: [number, number]; pad: Pad }[] = [
    { x: [2, 24, 24, 8], size: [2, 2], strides: [2, 2], pad: "valid" },
    { x: [2, 7, 9, 3], size: [2, 2], strides: [2, 2], pad: "valid" },
    { x: [1, 6, 6, 5], size: [2, 2], strides: [2, 2], pad: "same" },
    { x: [1, 7, 9, 3], size: [3, 3], strides: [2, 2], pad: "same" },
    { x: [3, 5, 6, 2], size: [2, 3], strides: [1, 2], pad: "valid" },
    { x: [1, 6, 6, 4], size: [3, 3], strides: [1, 1], pad: 1 },
  ];
  for (const c of poolCases) {
    const name = `x [${c.x}] size ${c.size} strides ${c.strides} pad ${c.pad}`;
    it(`matches tfjs cpu for maxPool and avgPool, ${name}`, async () => {
      await assertSameOnBothBackends(() => [
        tf.maxPool(random(c.x, 1) as tf.Tensor4D, c.size, c.strides, c.pad),
        tf.avgPool(random(c.x, 1) as tf.Tensor4D, c.size, c.strides, c.pad),
      ], "pool");
    });
    it(`matches tfjs cpu for the maxPool gradient, ties included, ${name}`, async () => {
      await assertSameOnBothBackends(() => {
        // Values rounded to {-2..2} tie often within a window: the gradient must go to the same (first) maximum.
        const f = (x: tf.Tensor) => {
          const y = tf.maxPool(x as tf.Tensor4D, c.size, c.strides, c.pad);
          return y.mul(random(y.shape, 2)).sum();
        };
        return tf.grad(f)(tf.round(random(c.x, 1).mul(2)));
      }, "maxPool gradient");
    });
  }
});
