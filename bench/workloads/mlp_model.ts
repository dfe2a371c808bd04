/**
 * The MNIST MLP shared by the GPU test and the GPU benchmark: 784-128-10,
 * relu then softmax, Adam (lr {@link LEARNING_RATE}), categorical
 * cross-entropy — the same model as bench/gpu/torch_mlp.py.
 *
 * Test accuracy after 3 epochs at a constant learning rate sits around this
 * model's 97% bar: on cpu/cpu-blas, batch 64 and lr 2e-3 gave 97.27-97.59% over
 * five shuffles and 97.15-97.62% over six seeded ones, and 97.02% on the cuda
 * emulator (2026-12-04); batch 32 at lr 1e-3 97.25-97.63%. With the last
 * epoch at a quarter of the rate ({@link learningRateSchedule}), lr 3e-3 gave
 * 97.68-97.95% over six seeded shuffles, so the test trains that way, at batch
 * {@link TEST_BATCH_SIZE} with seeded initial weights; the benchmark times one
 * epoch at batch {@link BENCH_BATCH_SIZE} and the first rate, as the issue asks
 * (neither the rate nor the schedule changes the time).
 */
import * as tf from "@tensorflow/tfjs";
import { loadMnist } from "../../kernel/tensor/data/index";

/** Batch of the timed epoch (MLP 784-128-10 at batch 128). */
export const BENCH_BATCH_SIZE = 128;
/** Batch of the accuracy test. */
export const TEST_BATCH_SIZE = 64;
export const LEARNING_RATE = 3e-3;
/** The test's last epoch trains at this fraction of {@link LEARNING_RATE}. */
export const LAST_EPOCH_RATE_FACTOR = 0.25;

/** A model.fit callback that sets Adam's rate per epoch: {@link LEARNING_RATE}, then a quarter of it in epoch `epochs - 1`. */
export function learningRateSchedule(model: tf.LayersModel, epochs: number): tf.CustomCallback {
  const optimizer = model.optimizer as unknown as { learningRate: number };
  return new tf.CustomCallback({
    onEpochBegin: async (epoch) => {
      optimizer.learningRate = epoch === epochs - 1 ? LEARNING_RATE * LAST_EPOCH_RATE_FACTOR : LEARNING_RATE;
    },
  });
}

/** The model, compiled; `seed` fixes the initial weights (the batch order still varies). */
export function buildMlp(seed?: number): tf.Sequential {
  const init = (offset: number) => (seed === undefined ? undefined : tf.initializers.glorotUniform({ seed: seed + offset }));
  const model = tf.sequential();
  model.add(tf.layers.dense({ inputShape: [784], units: 128, activation: "relu", kernelInitializer: init(0) }));
  model.add(tf.layers.dense({ units: 10, activation: "softmax", kernelInitializer: init(1) }));
  model.compile({ optimizer: tf.train.adam(LEARNING_RATE), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return model;
}

/** MNIST as flat arrays (from $TSGPU_MNIST_DIR when set, e.g. in the device bundle; else the offline npm copy). */
export async function mnistArrays() {
  const dir = process.env.TSGPU_MNIST_DIR;
  return loadMnist(dir ? { dir, offline: true } : { offline: true });
}

/** Flat [count, 784] images and one-hot [count, 10] labels on the current backend. */
export function splitTensors(images: Float32Array, labels: Uint8Array, count: number): { xs: tf.Tensor2D; ys: tf.Tensor2D } {
  return tf.tidy(() => ({
    xs: tf.tensor2d(images.subarray(0, count * 784), [count, 784]),
    ys: tf.oneHot(tf.tensor1d(Int32Array.from(labels.subarray(0, count)), "int32"), 10).toFloat() as tf.Tensor2D,
  }));
}
