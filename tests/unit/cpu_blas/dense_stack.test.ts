import assert from "node:assert/strict";
import { afterEach, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { DENSE_STACK_GRADIENTS_KERNEL, planDenseStack, setFusedDenseStack } from "../../../kernel/fused/index.js";
import { assertClose, randomValues, type Result, skipReason } from "./compare.js";

const SAMPLES = 20;
const BATCH = 7; // 20 = 7 + 7 + 6: the last batch is shorter

/** Flatten, two hidden layers (relu, linear) and a softmax output over 3 classes. */
function buildStack(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.flatten({ inputShape: [4, 5, 1] }),
      tf.layers.dense({ units: 9, activation: "relu" }),
      tf.layers.dense({ units: 6, activation: "linear", useBias: false }),
      tf.layers.dense({ units: 3, activation: "softmax" }),
    ],
  });
}

function batchData(): { x: tf.Tensor; y: tf.Tensor } {
  const x = tf.tensor(randomValues(SAMPLES * 20, 7), [SAMPLES, 4, 5, 1]);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: SAMPLES }, (_, i) => (i * 7) % 3), "int32"), 3);
  return { x, y };
}

/** The inner functional model that a tf.Sequential trains through (its `model` field in tfjs-layers 4.22). */
const inner = (model: tf.Sequential): Parameters<typeof planDenseStack>[0] => (model as unknown as { model: Parameters<typeof planDenseStack>[0] }).model;

/** Two epochs of model.fit from fixed initial weights; returns the history (loss, acc) and the final weights. */
async function fitTwoEpochs(backend: string, optimizer: () => tf.Optimizer, initial?: tf.Tensor[]): Promise<{ results: Result[]; initial: tf.Tensor[] }> {
  await tf.setBackend(backend);
  const model = buildStack();
  const start = initial ?? model.getWeights().map((w) => tf.keep(w.clone()));
  model.setWeights(start);
  model.compile({ optimizer: optimizer(), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const { x, y } = batchData();
  const history = await model.fit(x, y, { batchSize: BATCH, epochs: 2, shuffle: false, verbose: 0 });
  const results: Result[] = [
    { shape: [2], values: Float32Array.from(history.history.loss as number[]) },
    { shape: [2], values: Float32Array.from(history.history.acc as number[]) },
    ...model.getWeights().map((w) => ({ shape: w.shape.slice(), values: w.dataSync() as Float32Array })),
  ];
  tf.dispose([x, y]);
  model.dispose();
  return { results, initial: start };
}

async function kernelsOfOneStep(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): Promise<string[]> {
  const profile = await tf.profile(async () => {
    await model.trainOnBatch(x, y);
  });
  return profile.kernels.map((k) => k.name);
}

describe("fused dense-stack training step (cpu-blas)", { skip: skipReason }, () => {
  afterEach(() => setFusedDenseStack(true));

  for (const [name, optimizer] of [["adam", () => tf.train.adam(0.01)], ["sgd", () => tf.train.sgd(0.1)]] as const) {
    it(`gives tfjs's own step's losses, accuracy and weights on cpu-blas and on cpu (model.fit, ${name}, a short last batch)`, async () => {
      setFusedDenseStack(false);
      const unfused = await fitTwoEpochs("cpu-blas", optimizer);
      setFusedDenseStack(true);
      const fused = await fitTwoEpochs("cpu-blas", optimizer, unfused.initial);
      assertClose(fused.results, unfused.results, 1e-6, 1e-5, `${name}: fused against tfjs's step on cpu-blas`);
      const cpu = await fitTwoEpochs("cpu", optimizer, unfused.initial);
      assertClose(fused.results, cpu.results, 1e-4, 1e-3, `${name}: fused against tfjs cpu`);
      tf.dispose(unfused.initial);
    });
  }

  it("runs the step as one kernel, and as tfjs's kernels when turned off", async () => {
    await tf.setBackend("cpu-blas");
    const model = buildStack();
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    const { x, y } = batchData();
    const fused = await kernelsOfOneStep(model, x, y);
    assert.equal(fused.filter((k) => k === DENSE_STACK_GRADIENTS_KERNEL).length, 1, fused.join(" "));
    assert.ok(!fused.includes("BatchMatMul") && !fused.includes("_FusedMatMul"), fused.join(" "));
    setFusedDenseStack(false);
    const unfused = await kernelsOfOneStep(model, x, y);
    assert.ok(!unfused.includes(DENSE_STACK_GRADIENTS_KERNEL) && unfused.includes("BatchMatMul"), unfused.join(" "));
    tf.dispose([x, y]);
    model.dispose();
  });

  it("does not leak tensors across steps", async () => {
    await tf.setBackend("cpu-blas");
    const model = buildStack();
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
    const { x, y } = batchData();
    await model.trainOnBatch(x, y);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
    await model.fit(x, y, { batchSize: BATCH, epochs: 1, verbose: 0 });
    assert.equal(tf.memory().numTensors, before);
    tf.dispose([x, y]);
    model.dispose();
  });

  const dense = (units: number, extra: Partial<Parameters<typeof tf.layers.dense>[0]> = {}) => tf.layers.dense({ units, ...extra });
  const uncovered: [string, () => tf.Sequential, Partial<tf.ModelCompileArgs>, RegExp][] = [
    ["a dropout layer", () => tf.sequential({ layers: [dense(8, { inputShape: [20], activation: "relu" }), tf.layers.dropout({ rate: 0.5 }), dense(3, { activation: "softmax" })] }), {}, /Dropout layer/],
    ["a regularizer", () => tf.sequential({ layers: [dense(8, { inputShape: [20], activation: "relu", kernelRegularizer: tf.regularizers.l2() }), dense(3, { activation: "softmax" })] }), {}, /regularizer/],
    ["a sigmoid hidden layer", () => tf.sequential({ layers: [dense(8, { inputShape: [20], activation: "sigmoid" }), dense(3, { activation: "softmax" })] }), {}, /activation \(sigmoid\)/],
    ["a linear output", () => tf.sequential({ layers: [dense(8, { inputShape: [20], activation: "relu" }), dense(3)] }), {}, /activation \(linear\)/],
    ["another loss", () => tf.sequential({ layers: [dense(8, { inputShape: [20], activation: "relu" }), dense(3, { activation: "softmax" })] }), { loss: "meanSquaredError" }, /loss/],
  ];
  for (const [what, build, compileArgs, reason] of uncovered) {
    it(`leaves a model with ${what} to tfjs's step, and it still trains`, async () => {
      await tf.setBackend("cpu-blas");
      const model = build();
      model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", ...compileArgs });
      const x = tf.tensor(randomValues(6 * 20, 3), [6, 20]);
      const y = tf.oneHot(tf.tensor1d([0, 1, 2, 2, 1, 0], "int32"), 3);
      const plan = planDenseStack(inner(model), [x, y]);
      assert.equal(typeof plan, "string");
      assert.match(plan as string, reason);
      const kernels = await kernelsOfOneStep(model, x, y);
      assert.ok(!kernels.includes(DENSE_STACK_GRADIENTS_KERNEL));
      const loss = (await model.trainOnBatch(x, y)) as number;
      assert.ok(Number.isFinite(loss), `loss ${loss}`);
      tf.dispose([x, y]);
      model.dispose();
    });
  }

  it("leaves frozen layers, class weights and other backends to tfjs's step", async () => {
    await tf.setBackend("cpu-blas");
    const model = buildStack();
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    const { x, y } = batchData();
    assert.equal(typeof planDenseStack(inner(model), [x, y]), "object");
    assert.match(planDenseStack(inner(model), [x, y, tf.onesLike(x)]) as string, /sample or class weights/);
    model.layers[1]!.trainable = false;
    model.compile({ optimizer: "adam", loss: "categoricalCrossentropy" });
    assert.match(planDenseStack(inner(model), [x, y]) as string, /frozen/);
    await tf.setBackend("cpu");
    assert.match(planDenseStack(inner(model), [x, y]) as string, /cpu backend has no/);
    tf.dispose([x, y]);
    model.dispose();
  });
});
