import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { create, GptInputError, load } from "../../../kernel/gpt/index.js";
import { type DisplayRequest, setDisplaySink } from "../../../kernel/runtime/display.js";
import type { TrainingChartData } from "../../../kernel/runtime/mime_types.js";
import { trainingChart } from "../../../kernel/tensor/index.js";

const TINY = { vocabSize: 50, contextLength: 16, layers: 2, heads: 2, embedding: 16, dropout: 0.1 };

test.before(async () => {
  await tf.setBackend("cpu");
});

/** Logits as a nested array, the tensor disposed. */
function logitsOf(model: ReturnType<typeof create>, ids: number[][]): number[][][] {
  const logits = model.logits(ids);
  try {
    return logits.arraySync();
  } finally {
    logits.dispose();
  }
}

test("logits are float32 [batch, seq, vocab] from number[][] and from an int32 tensor", () => {
  const model = create({ ...TINY, seed: 1 });
  const a = model.logits([[1, 2, 3], [4, 5, 6]]);
  assert.deepEqual(a.shape, [2, 3, 50]);
  assert.equal(a.dtype, "float32");
  const ids = tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32");
  const b = model.logits(ids);
  assert.deepEqual(b.arraySync(), a.arraySync());
  tf.dispose([a, b, ids]);
  model.dispose();
  model.dispose(); // idempotent
});

test("has GPT-2's parameters under the Hub's names, initialised as GPT-2 does", () => {
  const model = create({ ...TINY, seed: 2 });
  const names = [...model.parameters.keys()];
  assert.equal(names.length, 2 + 12 * 2 + 2);
  assert.deepEqual(model.parameters.get("h.1.attn.c_attn.weight")!.shape, [16, 48]);
  assert.deepEqual(model.parameters.get("h.0.mlp.c_proj.weight")!.shape, [64, 16]);
  const std = (name: string) => tf.tidy(() => tf.moments(model.parameters.get(name)!).variance.sqrt().dataSync()[0]!);
  assert.ok(Math.abs(std("wte.weight") - 0.02) < 0.003);
  assert.ok(Math.abs(std("h.0.mlp.c_proj.weight") - 0.02 / 2) < 0.002, "residual projections scaled by 1/sqrt(2 layers)");
  assert.deepEqual([...model.parameters.get("ln_f.weight")!.dataSync()], new Array(16).fill(1));
  model.dispose();
});

test("is causal: logits at position t do not change when later tokens change", () => {
  const model = create({ ...TINY, seed: 3 });
  const a = logitsOf(model, [[7, 8, 9, 10, 11, 12]]);
  const b = logitsOf(model, [[7, 8, 9, 40, 41, 42]]);
  for (let t = 0; t < 3; t++) a[0]![t]!.forEach((value, v) => assert.ok(Math.abs(value - b[0]![t]![v]!) < 1e-6));
  assert.ok(a[0]![3]!.some((value, v) => Math.abs(value - b[0]![3]![v]!) > 1e-4), "position 3 sees its own token");
  model.dispose();
});

test("greedy generation with the key/value cache equals recomputing the whole prefix, also past the context", async () => {
  const model = create({ ...TINY, seed: 4 });
  const prompt = [3, 1, 4, 1, 5];
  const cached = await model.generate(prompt, { maxNewTokens: 15, temperature: 0 });
  const recomputed = await model.generate(prompt, { maxNewTokens: 15, temperature: 0, cache: false });
  assert.equal(cached.length, 15);
  assert.deepEqual(cached, recomputed);
  model.dispose();
});

test("seeded sampling is reproducible and the seed matters", async () => {
  const model = create({ ...TINY, seed: 5 });
  const options = { maxNewTokens: 12, temperature: 1.5, topK: 20 };
  const a = await model.generate([1, 2], { ...options, seed: 9 });
  const b = await model.generate([1, 2], { ...options, seed: 9 });
  const c = await model.generate([1, 2], { ...options, seed: 10 });
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  const top1 = await model.generate([1, 2], { maxNewTokens: 6, topK: 1, seed: 3 });
  assert.deepEqual(top1, await model.generate([1, 2], { maxNewTokens: 6, temperature: 0 }), "topK 1 is greedy");
  model.dispose();
});

test("loss falls on a repeating sequence within 30 steps, with no tensor leaks across steps", async () => {
  const model = create({ ...TINY, seed: 6 });
  const tokens = Array.from({ length: 300 }, (_, i) => [5, 9, 2, 31, 7][i % 5]!);
  const counts: number[] = [];
  const events: string[] = [];
  const callback = {
    onTrainBegin: () => void events.push("trainBegin"),
    onEpochEnd: (_epoch: number, logs?: Record<string, number>) => void events.push(`epochEnd:${"val_loss" in (logs ?? {})}:${"tokens_per_second" in (logs ?? {})}`),
    onBatchEnd: (_batch: number, logs?: Record<string, number>) => {
      assert.equal(typeof logs?.["loss"], "number");
      counts.push(tf.memory().numTensors);
    },
    onTrainEnd: () => void events.push("trainEnd"),
  };
  const history = await model.fit(tokens, { batchSize: 4, contextLength: 8, steps: 30, learningRate: 1e-2, warmupSteps: 3, validation: tokens.slice(0, 60), validationEvery: 10, seed: 1, callbacks: [callback] });
  assert.equal(history.loss.length, 30);
  assert.ok(history.loss.at(-1)! < history.loss[0]! * 0.5, `loss ${history.loss[0]} -> ${history.loss.at(-1)}`);
  assert.equal(history.valLoss.length, 3);
  assert.ok(history.valLoss[2]! < history.valLoss[0]!);
  assert.ok(history.tokensPerSecond > 0);
  assert.deepEqual(new Set(counts.slice(1)), new Set([counts[1]]), `tensor counts per step: ${counts.join(",")}`);
  assert.deepEqual(events, ["trainBegin", "epochEnd:true:true", "epochEnd:true:true", "epochEnd:true:true", "trainEnd"]);
  model.dispose();
});

test("an exception inside a step leaves no tensors behind and the model usable", async () => {
  const model = create({ ...TINY, seed: 7 });
  await model.fit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { batchSize: 2, contextLength: 4, steps: 1, seed: 1 });
  const before = tf.memory().numTensors;
  // Fail the second Softmax of the next step (mid-forward, after tensors were made).
  let calls = 0;
  const engine = tf.engine() as unknown as { runKernel: (...args: unknown[]) => unknown };
  const runKernel = engine.runKernel.bind(engine);
  engine.runKernel = (...args: unknown[]) => {
    if (args[0] === "Softmax" && ++calls === 2) throw new Error("interrupted");
    return runKernel(...args);
  };
  try {
    await assert.rejects(model.fit([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], { batchSize: 2, contextLength: 4, steps: 1, seed: 1 }), /interrupted/);
  } finally {
    engine.runKernel = runKernel;
  }
  assert.equal(tf.memory().numTensors, before);
  const logits = model.logits([[1, 2]]);
  assert.ok(logits.dataSync().every(Number.isFinite));
  logits.dispose();
  model.dispose();
});

test("save then load gives identical logits, and load accepts the transformer. prefix and buffers", async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), "tsgpu-gpt-"));
  try {
    const model = create({ ...TINY, seed: 8 });
    await model.save(folder);
    const config = JSON.parse(fs.readFileSync(path.join(folder, "config.json"), "utf8"));
    assert.equal(config.model_type, "gpt2");
    assert.equal(config.n_embd, 16);
    const loaded = await load(folder);
    assert.deepEqual(loaded.config, model.config);
    assert.deepEqual(logitsOf(loaded, [[1, 2, 3, 4]]), logitsOf(model, [[1, 2, 3, 4]]));
    model.dispose();
    loaded.dispose();
  } finally {
    fs.rmSync(folder, { recursive: true, force: true });
  }
});

test("rejects ids outside the vocabulary and prompts longer than the context, saying what to do", async () => {
  const model = create({ ...TINY, seed: 9 });
  assert.throws(() => model.logits([[1, 50]]), (e: Error) => e instanceof GptInputError && /token id 50 at position 1/.test(e.message) && /vocabulary \(0\.\.49\)/.test(e.message));
  await assert.rejects(model.generate([1, -1]), /token id -1/);
  await assert.rejects(model.generate(new Array(17).fill(1)), (e: Error) => /17 tokens is longer than the model's context of 16/.test(e.message) && /slice\(-16\)/.test(e.message));
  await assert.rejects(model.fit([1, 2, 3], { contextLength: 4 }), /has 3 tokens/);
  model.dispose();
  assert.throws(() => model.logits([[1]]), /disposed/);
});

test("trainingChart() charts fit: a loss per step and loss / val_loss per validation epoch", async () => {
  const requests: DisplayRequest[] = [];
  const previous = setDisplaySink({ display: (r) => requests.push(r), clearOutput: () => {} });
  const model = create({ ...TINY, seed: 10 });
  try {
    const chart = trainingChart({ updateEveryMs: 0 });
    const tokens = Array.from({ length: 100 }, (_, i) => i % 7);
    await model.fit(tokens, { batchSize: 2, contextLength: 8, steps: 6, validation: tokens, validationEvery: 3, seed: 2, callbacks: [chart] });
    const data: TrainingChartData = chart.data;
    assert.equal(data.done, true);
    assert.equal(data.totalEpochs, 2);
    assert.equal(data.steps.length, 6);
    assert.equal(typeof data.steps[0]!.values["loss"], "number");
    assert.deepEqual(Object.keys(data.epochs[1]!.values).sort(), ["loss", "tokens_per_second", "val_loss"]);
    assert.ok(requests.length >= 2);
  } finally {
    setDisplaySink(previous);
    model.dispose();
  }
});
