/**
 * GPU tier: tfjs-layers model.fit trains the bundled MNIST CNN (PyTorch
 * examples/mnist's net: bench/workloads/cnn_models.ts) on the cuda backend,
 * unchanged, to at least 98.5% test accuracy in 3 epochs (Adam 1e-3, batch
 * 64, seeded initial weights). Skips with the reason when this machine has
 * no usable GPU.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { registerCudaBackend } from "../../kernel/backends/cuda/index";
import { buildMnistCnn } from "../../bench/workloads/cnn_models";
import { mnistArrays, splitTensors } from "../../bench/workloads/mlp_model";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";

const availability = registerCudaBackend();
installTfjsHooks(); // the tensor registry installs them; registered directly here
// The CPU emulator (scripts/gpu/run_on_emulator.js) would take hours for 3 epochs of 4.3 TFLOP each.
const skip = !availability.available
  ? `no usable GPU for the cuda backend: ${availability.detail}`
  : process.env.TSGPU_EMULATOR_KERNELS
    ? "running on the CPU emulator: 3 MNIST CNN epochs would take hours (tests/unit/cuda/cnn_fit.test.ts trains a tiny CNN there)"
    : false;

describe("MNIST CNN on cuda", { skip }, () => {
  it("reaches at least 98.5% test accuracy in 3 epochs with model.fit", async () => {
    const mnist = await mnistArrays();
    await tf.setBackend("cuda");
    const images = (count: number, flat: tf.Tensor2D) => tf.reshape(flat, [count, 28, 28, 1]) as tf.Tensor4D;
    const trainFlat = splitTensors(mnist.train.images, mnist.train.labels, mnist.train.count);
    const testFlat = splitTensors(mnist.test.images, mnist.test.labels, mnist.test.count);
    const train = { xs: images(mnist.train.count, trainFlat.xs), ys: trainFlat.ys };
    const test = { xs: images(mnist.test.count, testFlat.xs), ys: testFlat.ys };
    const model = buildMnistCnn({ seed: 42 });
    const started = Date.now();
    const history = await model.fit(train.xs, train.ys, { epochs: 3, batchSize: 64, shuffle: true, verbose: 0 });
    const seconds = (Date.now() - started) / 1000;
    const [, accuracy] = model.evaluate(test.xs, test.ys, { batchSize: 500 }) as tf.Scalar[];
    const testAccuracy = (await accuracy!.data())[0]!;
    const losses = history.history.loss as number[];
    console.log(`cuda CNN: 3 epochs in ${seconds.toFixed(2)} s, losses ${losses.map((l) => l.toFixed(4)).join(" ")}, test accuracy ${testAccuracy.toFixed(4)}`);
    assert.ok(losses[2]! < losses[0]!, `loss did not fall: ${losses}`);
    assert.ok(testAccuracy >= 0.985, `test accuracy ${testAccuracy} < 0.985`);
    tf.dispose([trainFlat.xs, trainFlat.ys, testFlat.xs, testFlat.ys, train.xs, test.xs]);
    model.dispose();
  });
});
