import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { assertClose, randomValues, type Result, skipReason } from "./compare.js";

type Builder = () => tf.LayersModel;

const mlp: Builder = () =>
  tf.sequential({ layers: [tf.layers.dense({ inputShape: [20], units: 16, activation: "relu" }), tf.layers.dense({ units: 4, activation: "softmax" })] });

const cnn: Builder = () =>
  tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [10, 10, 1], filters: 4, kernelSize: 3, activation: "relu" }),
      tf.layers.conv2d({ filters: 6, kernelSize: 3, activation: "relu" }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 8, activation: "relu" }),
      tf.layers.dense({ units: 4, activation: "softmax" }),
    ],
  });

/** Trains two Adam steps from the same initial weights; returns the losses and the final weights. */
async function trainSteps(backend: string, build: Builder, inputShape: number[], initial: Float32Array[] | undefined): Promise<{ results: Result[]; weights: Float32Array[] }> {
  await tf.setBackend(backend);
  const model = build();
  if (initial) model.setWeights(model.getWeights().map((w, i) => tf.tensor(initial[i]!, w.shape)));
  const weights = model.getWeights().map((w) => w.dataSync() as Float32Array);
  model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
  const batch = 8;
  const x = tf.tensor(randomValues(batch * inputShape.reduce((a, b) => a * b, 1), 21), [batch, ...inputShape]);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 3, 2, 1, 0], "int32"), 4);
  const losses: number[] = [];
  for (let step = 0; step < 2; step++) losses.push((await model.trainOnBatch(x, y)) as number);
  const results: Result[] = [{ shape: [2], values: Float32Array.from(losses) }];
  for (const w of model.getWeights()) results.push({ shape: w.shape.slice(), values: w.dataSync() as Float32Array });
  tf.dispose([x, y]);
  model.dispose();
  return { results, weights };
}

describe("cpu-blas training with tf.layers", { skip: skipReason }, () => {
  for (const [name, build, shape] of [["an MLP", mlp, [20]], ["a small CNN", cnn, [10, 10, 1]]] as const) {
    it(`gives the same losses and weights as tfjs cpu for ${name} (two Adam steps)`, async () => {
      const reference = await trainSteps("cpu", build, [...shape], undefined);
      const fast = await trainSteps("cpu-blas", build, [...shape], reference.weights);
      assertClose(fast.results, reference.results, 1e-4, 1e-3, name);
    });
  }

  it("does not leak tensors across training steps", async () => {
    await tf.setBackend("cpu-blas");
    const model = cnn();
    model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy" });
    const x = tf.tensor(randomValues(8 * 100, 3), [8, 10, 10, 1]);
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 3, 2, 1, 0], "int32"), 4);
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
    model.dispose();
  });
});
