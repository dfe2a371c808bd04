/**
 * One measurement of `npm run bench:gpt` in its own process: tsgpu's GPT on one tfjs
 * backend, prints one JSON line.
 *
 *   node build/bench/gpt/tfjs_gpt.js --backend cpu-blas|cpu --task train|generate|train-small [--steps N]
 *
 * Same models and settings as torch_gpt.py (random weights, dropout 0, AdamW with weight
 * decay 0.1 on matrices, gradient clipping 1.0). TSGPU_FUSED_GPT=0 turns the fused GPT
 * kernels off (the reference ops of kernel/gpt/ops.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { registerCpuBlasBackend } from "../../kernel/backends/cpu_blas/index.js";
import { installTfjsHooks } from "../../kernel/fused/hooks/index.js";
import { create } from "../../kernel/gpt/index.js";

const SMALL = { layers: 4, heads: 4, embedding: 256, contextLength: 128 };
const GPT2 = { layers: 12, heads: 12, embedding: 768, contextLength: 1024 };

function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1]! : fallback;
}

/** Trains `steps` timed steps after `warmup` untimed ones; seconds per step. */
async function train(shape: typeof SMALL, batch: number, time: number, steps: number, warmup: number): Promise<{ seconds: number; loss: number }> {
  const model = create({ ...shape, vocabSize: 50257, dropout: 0, seed: 0 });
  const tokens = Int32Array.from({ length: 20000 }, (_, i) => (i * 7919 + 13) % 50257);
  const options = { batchSize: batch, contextLength: time, learningRate: 3e-4, seed: 1 };
  if (warmup > 0) await model.fit(tokens, { ...options, steps: warmup });
  const history = await model.fit(tokens, { ...options, steps });
  const seconds = (batch * time) / history.tokensPerSecond;
  model.dispose();
  return { seconds, loss: history.loss[history.loss.length - 1]! };
}

async function main(): Promise<void> {
  const backend = argument("backend", "cpu-blas");
  const task = argument("task", "train");
  const steps = Number(argument("steps", "3"));
  let detail = "tfjs pure JavaScript, 1 thread";
  if (backend === "cpu-blas") {
    const registration = registerCpuBlasBackend();
    installTfjsHooks();
    if (!registration.available) throw new Error(registration.detail);
    detail = `${registration.detail}${process.env["TSGPU_FUSED_GPT"] === "0" ? ", fused GPT kernels off" : ""}`;
  }
  await tf.setBackend(backend);
  const framework = backend === "cpu" ? "tfjs cpu" : process.env["TSGPU_FUSED_GPT"] === "0" ? "tsgpu cpu-blas, reference ops" : "tsgpu cpu-blas";
  if (task === "generate") {
    const model = create({ ...SMALL, vocabSize: 50257, dropout: 0, seed: 0 });
    const prompt = [1, 2, 3, 4, 5, 6, 7, 8];
    await model.generate(prompt, { maxNewTokens: 5, temperature: 0 });
    const start = performance.now();
    const ids = await model.generate(prompt, { maxNewTokens: 100, temperature: 0 });
    const seconds = (performance.now() - start) / 1000;
    model.dispose();
    console.log(JSON.stringify({ framework, task, seconds, tokensPerSecond: ids.length / seconds, detail }));
    return;
  }
  const result = task === "train-small" ? await train(GPT2, 1, 256, 1, 1) : await train(SMALL, 8, 128, steps, backend === "cpu" ? 0 : 1);
  const tokens = task === "train-small" ? 256 : 8 * 128;
  console.log(JSON.stringify({ framework, task, seconds: result.seconds, tokensPerSecond: tokens / result.seconds, loss: result.loss, detail }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
