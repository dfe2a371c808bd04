/**
 * GPU tier: a small GPT (2 layers, 64 wide, 4 heads, vocabulary 96, context
 * 32) trains for 50 steps on the cuda backend with the same loss curve as on
 * tfjs's cpu backend (same seed, so the same initial weights, batches and
 * dropout masks), and greedy generation afterwards gives the same tokens.
 * Skips with the reason when this machine has no usable GPU.
 */
import assert from "node:assert/strict";
import { after, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { registerCudaBackend } from "../../kernel/backends/cuda/index";
import { installTfjsHooks } from "../../kernel/fused/hooks/index";
import * as gpt from "../../kernel/gpt/index";

const availability = registerCudaBackend();
installTfjsHooks(); // the tensor registry installs them; registered directly here
const skip = availability.available ? false : `no usable GPU for the cuda backend: ${availability.detail}`;

const STEPS = 50;
const CONFIG = { vocabSize: 96, contextLength: 32, layers: 2, heads: 4, embedding: 64, dropout: 0.1, seed: 3 };

/** A learnable stream: a noisy repeating pattern of 96 symbols. */
function tokens(count: number): number[] {
  let seed = 12345;
  const next = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  return Array.from({ length: count }, (_, i) => (next() < 0.1 ? Math.floor(next() * 96) : (i * 5 + (i >> 4)) % 96));
}

async function curve(backend: string) {
  await tf.setBackend(backend);
  const model = gpt.create(CONFIG);
  try {
    const history = await model.fit(tokens(20000), { steps: STEPS, batchSize: 8, contextLength: 32, learningRate: 3e-3, warmupSteps: 5, seed: 9 });
    const generated = await model.generate([1, 6, 11, 16], { maxNewTokens: 12, temperature: 0 });
    return { loss: history.loss, generated, tokensPerSecond: history.tokensPerSecond };
  } finally {
    model.dispose();
  }
}

describe("a small GPT on cuda", { skip }, () => {
  after(async () => {
    await tf.setBackend("cpu");
  });

  it(`follows the cpu backend's loss curve over ${STEPS} steps and generates its tokens`, async () => {
    const cpu = await curve("cpu");
    const cuda = await curve("cuda");
    console.log(`cuda GPT: loss ${cuda.loss[0]!.toFixed(4)} -> ${cuda.loss[STEPS - 1]!.toFixed(4)} (cpu ${cpu.loss[0]!.toFixed(4)} -> ${cpu.loss[STEPS - 1]!.toFixed(4)}), ${cuda.tokensPerSecond.toFixed(0)} tokens/s`);
    assert.ok(cuda.loss[STEPS - 1]! < cuda.loss[0]! * 0.7, `the loss fell too little on cuda: ${cuda.loss[0]} -> ${cuda.loss[STEPS - 1]}`);
    for (let step = 0; step < STEPS; step++) {
      // fp32 in another summation order: differences grow slowly with the steps (measured ~1e-5 at
      // step 0 on the emulator); 1% of the loss leaves room for that and catches any wrong kernel.
      const tolerance = 1e-4 + 0.01 * cpu.loss[step]! * (step / STEPS);
      assert.ok(Math.abs(cuda.loss[step]! - cpu.loss[step]!) <= tolerance, `step ${step}: cuda loss ${cuda.loss[step]} vs cpu ${cpu.loss[step]} (tolerance ${tolerance})`);
    }
    assert.deepEqual(cuda.generated, cpu.generated);
  });
});
