// The notebooks the browser tests open, written to a temp folder by run.js.
"use strict";

function notebook(kernelspec, language, sources) {
  return {
    cells: sources.map((source) => ({ cell_type: "code", execution_count: null, id: Math.random().toString(16).slice(2, 10), metadata: {}, outputs: [], source })),
    metadata: { kernelspec, language_info: { name: language } },
    nbformat: 4,
    nbformat_minor: 5,
  };
}

const TRAINING_CELL = `const TRAINING = "application/vnd.tsgpu.training+json";
const steps = Array.from({ length: 40 }, (_, i) => ({ step: i + 1, epoch: i < 20 ? 1 : 2, values: { loss: 2.3 * Math.exp(-i / 12) + 0.05, acc: 1 - 0.9 * Math.exp(-i / 10) } }));
const epochs = [20, 40].map((s, e) => ({ step: s, epoch: e + 1, values: { loss: steps[s - 1].values.loss, acc: steps[s - 1].values.acc, val_loss: steps[s - 1].values.loss * 1.1, val_acc: steps[s - 1].values.acc * 0.98 } }));
function chart(n: number, done: boolean) {
  return {
    [TRAINING]: { title: "MLP on MNIST (browser test)", steps: steps.slice(0, n), epochs: epochs.filter((p) => p.step <= n), epoch: n <= 20 ? 1 : 2, totalEpochs: 2, batch: ((n - 1) % 20) + 1, batchesPerEpoch: 20, samplesPerSecond: 5120, elapsedSeconds: n * 0.05, secondsLeft: (40 - n) * 0.05, backend: "cpu", memory: { numTensors: 12, numBytes: 409600 }, done },
    "text/plain": \`training chart, \${n} steps\`,
  };
}
const handle = display.bundle(chart(20, false));`;

const UPDATE_CELL = `handle.update({ [Symbol.for("Jupyter.display")]: () => chart(40, true) });
"updated"`;

const COMPARISON_CELL = `display.bundle({
  "application/vnd.tsgpu.comparison+json": {
    title: "matMul 512x512 (browser test)", baseline: "cpu",
    rows: [
      { backend: "cpu", device: "2 cores", medianMs: 40, minMs: 38, maxMs: 45, repeats: 5 },
      { backend: "webgpu", device: "llvmpipe", medianMs: 10, minMs: 9, maxMs: 12, repeats: 5 },
      { backend: "cuda", device: "none", medianMs: 0, minMs: 0, maxMs: 0, repeats: 0, error: "no GPU here" },
    ],
  },
  "text/plain": "comparison",
});`;

const TENSOR_CELL = `import * as tf from "@tensorflow/tfjs";
import { use } from "tsgpu";
await use("cpu");
const kept = tf.ones([128, 256]);
kept.shape`;

/** A tsgpu notebook: values, stdout, a 1.5 s cell, a training chart and its update, a comparison. */
function tsgpuNotebook() {
  return notebook({ name: "tsgpu", display_name: "TypeScript (tsgpu)", language: "typescript" }, "typescript", [
    "const answer: number = 6 * 7;\nanswer",
    'console.log("hello from tsgpu")',
    'await new Promise((resolve) => setTimeout(resolve, 1500));\n"slept"',
    TRAINING_CELL,
    UPDATE_CELL,
    COMPARISON_CELL,
    TENSOR_CELL,
  ]);
}

/** A Python notebook: the "other kernel" (no tsgpu.device comm target). */
function pythonNotebook() {
  return notebook({ name: "python3", display_name: "Python 3 (ipykernel)", language: "python" }, "python", ["import time\ntime.sleep(0.3)\n6 * 7"]);
}

const FIT_CELL = `import * as tf from "@tensorflow/tfjs";
import { trainingChart, use } from "tsgpu";
await use("cpu");
const xs = tf.randomNormal([256, 8]);
const ys = tf.oneHot(tf.randomUniform([256], 0, 2, "int32") as tf.Tensor1D, 2);
const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [8], units: 16, activation: "relu" }), tf.layers.dense({ units: 2, activation: "softmax" })] });
model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
await model.fit(xs, ys, { epochs: 3, batchSize: 32, validationSplit: 0.25, callbacks: [trainingChart({ title: "real fit" })] });
"fitted"`;

const COMPARE_CELL = `import { compare } from "tsgpu";
await compare((tf) => tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]))), { backends: ["cpu", "cuda"], repeats: 3, title: "real compare" })`;

/** A real tfjs fit with the kernel's trainingChart callback and a real compare(): the renderers read the kernel's own payloads. */
function fitNotebook() {
  return notebook({ name: "tsgpu", display_name: "TypeScript (tsgpu)", language: "typescript" }, "typescript", [FIT_CELL, COMPARE_CELL]);
}

module.exports = { tsgpuNotebook, pythonNotebook, fitNotebook };
