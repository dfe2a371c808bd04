/**
 * A tiny GPT on the cuda backend's CPU emulator against tfjs's cpu backend:
 * the same seeded model trains with the same losses (dropout on: its masks
 * come from seeded host random numbers on both) and generates the same tokens
 * greedily, with and without the key/value cache; its training steps are
 * queued without reading anything back to the host.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import * as gpt from "../../../kernel/gpt/index";
import { assertFitReadsOncePerEpoch } from "../gpt/fit_readbacks";
import { emulatedCudaSkipReason, registerEmulatedCuda } from "./emulated_cuda";

const TINY = { vocabSize: 37, contextLength: 8, layers: 2, heads: 2, embedding: 16, dropout: 0.1, seed: 5 };
const TOKENS = Array.from({ length: 300 }, (_, i) => (i * 7 + (i >> 3)) % 37);

async function onBackend(backend: string) {
  await tf.setBackend(backend);
  const model = gpt.create(TINY);
  try {
    const history = await model.fit(TOKENS, { steps: 3, batchSize: 3, contextLength: 7, learningRate: 3e-3, seed: 11, validation: TOKENS, validationEvery: 3 });
    const prompt = [1, 8, 15];
    const cached = await model.generate(prompt, { maxNewTokens: 6, temperature: 0 });
    const uncached = await model.generate(prompt, { maxNewTokens: 6, temperature: 0, cache: false });
    const sampled = await model.generate(prompt, { maxNewTokens: 6, temperature: 0.9, topK: 5, seed: 3 });
    return { history, cached, uncached, sampled };
  } finally {
    model.dispose();
  }
}

describe("a tiny GPT on the cuda emulator", { skip: emulatedCudaSkipReason() }, () => {
  let cleanup = () => {};
  before(() => {
    cleanup = registerEmulatedCuda();
  });
  after(async () => {
    await tf.setBackend("cpu");
    cleanup();
  });

  it("trains with the cpu backend's losses and generates its tokens", async () => {
    const cpu = await onBackend("cpu");
    const before = tf.memory().numTensors;
    const cuda = await onBackend("cuda");
    assert.equal(tf.memory().numTensors, before, "the cuda run leaked tensors");
    for (let step = 0; step < 3; step++) {
      // fp32 sums in another order (cuBLAS, block reductions): a few ulp per op.
      assert.ok(Math.abs(cuda.history.loss[step]! - cpu.history.loss[step]!) < 1e-4, `step ${step}: cuda loss ${cuda.history.loss[step]} vs cpu ${cpu.history.loss[step]}`);
    }
    assert.ok(Math.abs(cuda.history.valLoss[0]! - cpu.history.valLoss[0]!) < 1e-4, `validation loss: cuda ${cuda.history.valLoss} vs cpu ${cpu.history.valLoss}`);
    assert.deepEqual(cuda.cached, cpu.cached);
    assert.deepEqual(cuda.uncached, cpu.cached);
    assert.deepEqual(cuda.sampled, cpu.sampled);
  });

  it("queues training steps without host reads: one read of the losses per epoch and per validation, one per step only for onBatchEnd", async () => {
    await tf.setBackend("cuda");
    await assertFitReadsOncePerEpoch();
  });
});
