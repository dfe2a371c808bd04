import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { create, GptInputError } from "../../../kernel/gpt/index.js";

const TINY = { vocabSize: 50, contextLength: 16, layers: 2, heads: 2, embedding: 16, dropout: 0 };
const repeating = Array.from({ length: 400 }, (_, i) => (i * 7) % 13);

test.before(async () => {
  await tf.setBackend("cpu");
});

test("evaluate gives the same loss for the same model twice, near ln(vocab) untrained, lower after training", async () => {
  const model = create({ ...TINY, seed: 3 });
  const before = await model.evaluate(repeating, { batchSize: 4, batches: 2 });
  assert.equal(await model.evaluate(repeating, { batchSize: 4, batches: 2 }), before);
  assert.ok(Math.abs(before - Math.log(50)) < 0.5, `untrained loss ${before} should be near ln(50)`);
  await model.fit(repeating, { steps: 30, batchSize: 4, learningRate: 1e-2, seed: 1 });
  const tensors = tf.memory().numTensors; // parameters and the optimizer's moments
  const after = await model.evaluate(repeating, { batchSize: 4, batches: 2 });
  assert.ok(after < before / 2, `loss ${after} after training should be under half of ${before}`);
  assert.equal(tf.memory().numTensors, tensors, "evaluate leaves no tensors behind");
  model.dispose();
});

test("evaluate refuses a window longer than the context and too few tokens", async () => {
  const model = create({ ...TINY, seed: 3 });
  await assert.rejects(() => model.evaluate(repeating, { contextLength: 17 }), GptInputError);
  await assert.rejects(async () => model.evaluate([1, 2, 3]), GptInputError);
  model.dispose();
});
