import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { ADAM_UPDATE_KERNEL, CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL, RELU_GRAD_KERNEL, setFusedDenseStack, SOFTMAX_GRAD_KERNEL } from "../../../kernel/fused/index.js";
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

type LossFunction = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor;

/** The loss functions of a compiled Sequential model (held by the LayersModel inside it). */
const lossFunctionsOf = (model: tf.Sequential): LossFunction[] => (model as unknown as { model: { lossFunctions: LossFunction[] } }).model.lossFunctions;

describe("fused categorical cross-entropy (tf.layers loss \"categoricalCrossentropy\" on cpu-blas)", { skip: skipReason }, () => {
  /** The loss function a compiled model uses (tfjs-layers' own on cpu, the fused one where the kernels exist). */
  const compiledLoss = () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 })] });
    model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
    return lossFunctionsOf(model)[0]!;
  };
  // Rows that do not sum to 1, values below epsilon and at 1, a NaN, soft and one-hot targets.
  const output = () => tf.tensor2d([[0.2, 0.3, 0.5, 0], [2, 1, 1, 0], [1, 0, 0, 0], [1e-9, 0.5, 0.25, 0.25], [0.1, Number.NaN, 0.2, 0.7], [0.4, 0.3, 0.2, 0.1]]);
  const target = () => tf.tensor2d([[0, 0, 1, 0], [1, 0, 0, 0], [1, 0, 0, 0], [0.5, 0.5, 0, 0], [0, 0, 1, 0], [0, 1, 0, 0]]);
  const weights = () => tf.tensor1d([1, -2, 3, 0.5, 1, 0.25]);

  it("gives tfjs-layers' loss and gradient, clipping, NaN and soft targets included", async () => {
    await assertSameOnBothBackends(() => compiledLoss()(target(), output()), "loss", 1e-6, 1e-5);
    const gradient = () => tf.grad((p: tf.Tensor) => tf.sum(tf.mul(compiledLoss()(target(), p), weights())))(output());
    await assertSameOnBothBackends(gradient, "gradient", 1e-6, 1e-5);
    await assertSameOnBothBackends(() => compiledLoss()(tf.reshape(target(), [2, 3, 4]), tf.reshape(output(), [2, 3, 4])), "rank 3", 1e-6, 1e-5);
  });

  it("runs as one kernel forward and one backward in a training step", async () => {
    await tf.setBackend("cpu-blas");
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [4], units: 3, activation: "softmax" })] });
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    const x = random([5, 4], 1);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 1, 0], "int32"), 3);
    setFusedDenseStack(false); // else the fused dense-stack step takes the whole step (dense_stack.test.ts)
    const profile = await tf.profile(() => model.trainOnBatch(x, y)).finally(() => setFusedDenseStack(true));
    const names = profile.kernels.map((k) => k.name);
    assert.ok(names.includes(CATEGORICAL_CROSSENTROPY_KERNEL) && names.includes(CATEGORICAL_CROSSENTROPY_GRAD_KERNEL), names.join(" "));
    assert.ok(!names.includes("ClipByValue") && !names.includes("Log"), names.join(" "));
    tf.dispose([x, y]);
    model.dispose();
  });

  it("leaves a loss given as a function as it was", () => {
    const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2 })] });
    const loss = (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
    model.compile({ optimizer: "sgd", loss });
    assert.equal(lossFunctionsOf(model)[0], loss);
  });
});

describe("fused softmax gradient (tf.softmax's gradient on cpu-blas)", { skip: skipReason }, () => {
  const weights = (shape: number[]) => random(shape, 41);
  const gradient = (shape: number[]) => () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), weights(shape))))(tf.mul(random(shape, 40), 4));

  it("matches tfjs cpu for rows of 10, 1 and rank-3 input, with NaN upstream gradients", async () => {
    await assertSameOnBothBackends(gradient([37, 10]), "[37, 10]", 1e-7, 1e-5);
    await assertSameOnBothBackends(gradient([5, 1]), "one column", 1e-7, 1e-5);
    await assertSameOnBothBackends(gradient([3, 4, 9]), "rank 3", 1e-7, 1e-5);
    const nanUpstream = () => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tf.softmax(x), tf.tensor2d([[1, Number.NaN, 2], [0, 1, -1]]))))(tf.tensor2d([[1, 2, 3], [0, 0, 0]]));
    await assertSameOnBothBackends(nanUpstream, "NaN upstream", 1e-7, 1e-5);
  });

  it("runs as one kernel and has second derivatives matching tfjs cpu", async () => {
    await tf.setBackend("cpu-blas");
    const profile = await tf.profile(() => gradient([6, 5])());
    assert.ok(profile.kernels.some((k) => k.name === SOFTMAX_GRAD_KERNEL), profile.kernels.map((k) => k.name).join(" "));
    // tfjs saves softmax's output as a copy outside the tape, so a second derivative
    // reaches the gradient only through dy: here dy is v itself.
    const second = () => {
      const inner = (x: tf.Tensor) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.softmax(v), v)))(x);
      return tf.grad((x: tf.Tensor) => tf.sum(tf.mul(inner(x), random([4, 6], 42))))(random([4, 6], 43));
    };
    await assertSameOnBothBackends(second, "second derivative", 1e-6, 1e-4);
  });
});
