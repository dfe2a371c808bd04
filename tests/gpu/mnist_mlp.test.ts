/**
 * GPU tier: tfjs-layers model.fit trains the MNIST MLP on the cuda backend,
 * unchanged, to at least 97% test accuracy in 3 epochs (the last at a quarter
 * of the learning rate: bench/workloads/mlp_model.ts). Skips with the reason
 * when this machine has no usable GPU.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { registerCudaBackend } from "../../kernel/backends/cuda/index";
import { buildMlp, learningRateSchedule, mnistArrays, splitTensors, TEST_BATCH_SIZE } from "../../bench/workloads/mlp_model";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";

const availability = registerCudaBackend();
installTfjsHooks(); // the tensor registry installs them; registered directly here
const skip = availability.available ? false : `no usable GPU for the cuda backend: ${availability.detail}`;

describe("MNIST MLP on cuda", { skip }, () => {
  it("reaches at least 97% test accuracy in 3 epochs with model.fit", async () => {
    const mnist = await mnistArrays();
    await tf.setBackend("cuda");
    tf.randomUniform([1]).dispose();
    const train = splitTensors(mnist.train.images, mnist.train.labels, mnist.train.count);
    const test = splitTensors(mnist.test.images, mnist.test.labels, mnist.test.count);
    const model = buildMlp(42);
    const started = Date.now();
    const callbacks = [learningRateSchedule(model, 3)];
    const history = await model.fit(train.xs, train.ys, { epochs: 3, batchSize: TEST_BATCH_SIZE, shuffle: true, verbose: 0, callbacks });
    const seconds = (Date.now() - started) / 1000;
    const [, accuracy] = model.evaluate(test.xs, test.ys, { batchSize: 1000 }) as tf.Scalar[];
    const testAccuracy = (await accuracy!.data())[0]!;
    const losses = history.history.loss as number[];
    console.log(`cuda MLP: 3 epochs in ${seconds.toFixed(2)} s, losses ${losses.map((l) => l.toFixed(4)).join(" ")}, test accuracy ${testAccuracy.toFixed(4)}`);
    assert.ok(losses[2]! < losses[0]!, `loss did not fall: ${losses}`);
    assert.ok(testAccuracy >= 0.97, `test accuracy ${testAccuracy} < 0.97`);
    tf.dispose([train.xs, train.ys, test.xs, test.ys]);
    model.dispose();
  });
});
