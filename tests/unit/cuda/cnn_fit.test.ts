/**
 * Training CNNs on the cuda backend (CPU emulator) gives the cpu backend's
 * losses and weights: a tiny version of the bundled MNIST CNN (8x8 inputs,
 * narrow layers, seeded weights and dropout masks) for two steps of
 * model.fit, and one step of a tiny ResNet (conv, batchNormalization, relu,
 * residual add, globalAveragePooling2d, dense).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { buildMnistCnn, buildResNet } from "../../../bench/workloads/cnn_models";
import { random } from "../../gpu/reference";
import { emulatedCudaSkipReason, startEmulatedCuda } from "./emulated_cuda";

/** Gradients flow through ~6 layers of float sums in a different order: 1e-4 relative. */
const close = (actual: number, expected: number, what: string, tolerance = 1e-4) =>
  assert.ok(Math.abs(actual - expected) <= tolerance * (1 + Math.abs(expected)), `${what}: cuda ${actual} vs cpu ${expected}`);

function data(count: number, shape: number[], seed: number): { x: Float32Array; labels: Int32Array } {
  const next = random(seed);
  const x = Float32Array.from({ length: count * shape.reduce((a, b) => a * b, 1) }, () => next());
  const labels = Int32Array.from({ length: count }, () => Math.floor(next() * 10));
  return { x, labels };
}

describe("CNNs train on the emulated cuda backend as on the cpu backend", { skip: emulatedCudaSkipReason() }, () => {
  let stop: () => Promise<void> = async () => {};
  before(async () => {
    stop = await startEmulatedCuda();
  });
  after(() => stop());

  it("model.fit of a tiny MNIST CNN (8x8, 2 steps) gives the same losses and predictions", async () => {
    const { x, labels } = data(8, [8, 8, 1], 11);
    const train = async (backend: string) => {
      await tf.setBackend(backend);
      const model = buildMnistCnn({ size: 8, widths: [4, 6, 16], seed: 3 });
      const xs = tf.tensor4d(x, [8, 8, 8, 1]);
      const ys = tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat();
      let loss: number[] = [];
      const profile = await tf.profile(async () => {
        const history = await model.fit(xs, ys, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
        loss = history.history.loss as number[];
      });
      const prediction = Array.from(await (model.predict(xs) as tf.Tensor).data());
      tf.dispose([xs, ys]);
      model.dispose();
      return { loss, prediction, kernels: new Set(profile.kernelNames) };
    };
    const cpu = await train("cpu");
    const cuda = await train("cuda");
    for (const kernel of ["Conv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", "MaxPool", "MaxPoolGrad"]) assert.ok(cuda.kernels.has(kernel), `${kernel} ran on cuda`);
    cpu.loss.forEach((l, i) => close(cuda.loss[i]!, l, `epoch ${i} loss`));
    cpu.prediction.forEach((p, i) => close(cuda.prediction[i]!, p, `prediction ${i}`));
  });

  it("one training step of a tiny ResNet gives the same loss and updated weights", async () => {
    const { x, labels } = data(4, [6, 6, 3], 12);
    const step = async (backend: string) => {
      await tf.setBackend(backend);
      const model = buildResNet({ inputShape: [6, 6, 3], classes: 10, stages: [1, 1], width: 4, basic: true, seed: 5 });
      const xs = tf.tensor4d(x, [4, 6, 6, 3]);
      const ys = tf.oneHot(tf.tensor1d(labels, "int32"), 10).toFloat();
      let loss = 0;
      const profile = await tf.profile(async () => {
        loss = (await model.trainOnBatch(xs, ys)) as number;
      });
      const weights = await Promise.all(model.getWeights().map(async (w) => Array.from(await w.data())));
      tf.dispose([xs, ys]);
      model.dispose();
      return { loss, weights, kernels: new Set(profile.kernelNames) };
    };
    const cpu = await step("cpu");
    const cuda = await step("cuda");
    for (const kernel of ["FusedConv2D", "FusedBatchNorm", "Conv2DBackpropFilter"]) assert.ok(cuda.kernels.has(kernel), `${kernel} ran on cuda`);
    close(cuda.loss, cpu.loss, "loss");
    assert.equal(cuda.weights.length, cpu.weights.length);
    cpu.weights.forEach((w, k) => w.forEach((v, i) => close(cuda.weights[k]![i]!, v, `weight ${k}[${i}]`)));
  });
});
