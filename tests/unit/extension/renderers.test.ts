// The renderers' pure parts: payload checks, HTML and SVG for the training chart and the comparison.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ComparisonData, TrainingChartData } from "../../../kernel/runtime/mime_types.js";
import { checkComparisonData, comparisonHtml, speedups } from "../../../src/renderers/comparison.js";
import { barChartSvg, lineChartSvg, niceTicks, thin } from "../../../src/renderers/svg.js";
import { checkTrainingData, metricPanels, panelSeries, PayloadError, trainingHtml, trainingSummary } from "../../../src/renderers/training.js";

function training(overrides: Partial<TrainingChartData> = {}): TrainingChartData {
  const steps = Array.from({ length: 30 }, (_, i) => ({ step: i + 1, epoch: i < 15 ? 1 : 2, values: { loss: 2 / (i + 1), acc: i / 30 } }));
  return {
    title: "MLP",
    steps,
    epochs: [{ step: 15, epoch: 1, values: { loss: 0.2, acc: 0.5, val_loss: 0.25, val_acc: 0.45 } }],
    epoch: 2,
    totalEpochs: 3,
    batch: 15,
    batchesPerEpoch: 15,
    samplesPerSecond: 12345.6,
    secondsLeft: 20,
    elapsedSeconds: 10,
    backend: "webgpu",
    done: false,
    ...overrides,
  };
}

test("training payloads missing a field are rejected with the field's name", () => {
  assert.throws(() => checkTrainingData(null), PayloadError);
  assert.throws(() => checkTrainingData({ ...training(), steps: "x" }), /field "steps" must be an array/);
  assert.throws(() => checkTrainingData({ ...training(), epoch: "2" }), /field "epoch" must be a number, got "2"/);
  assert.equal(checkTrainingData(training()).title, "MLP");
});

test("losses and accuracies go to separate panels, each metric per step and per epoch", () => {
  const data = training();
  assert.deepEqual(metricPanels(data), [
    { title: "Loss", metrics: ["loss", "val_loss"] },
    { title: "Accuracy", metrics: ["acc", "val_acc"] },
  ]);
  const series = panelSeries(data, ["loss", "val_loss"]);
  assert.deepEqual(series.map((s) => [s.name, s.points.length, s.markers ?? false]), [
    ["loss (step)", 30, false],
    ["loss (epoch)", 1, true],
    ["val_loss (epoch)", 1, true],
  ]);
});

test("the training summary gives progress, throughput, time left and backend", () => {
  assert.equal(trainingSummary(training()), "Epoch 2/3 · batch 15/15 · 12,346 samples/s · 10.0 s elapsed · about 20.0 s left · webgpu");
  assert.match(trainingSummary(training({ done: true, memory: { numTensors: 1200, numBytes: 1 } })), /· done · webgpu · 1,200 tensors$/);
});

test("training HTML escapes the title and draws one path per series", () => {
  const html = trainingHtml(training({ title: "<img src=x onerror=alert(1)>" }));
  assert.ok(!html.includes("<img"), "title is escaped");
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.equal(html.match(/<path /g)?.length, 6);
  assert.match(trainingHtml(training({ steps: [], epochs: [] })), /waiting for the first batch/);
});

const comparison: ComparisonData = {
  title: "matMul",
  baseline: "cpu",
  rows: [
    { backend: "cpu", device: "2 cores", medianMs: 40, minMs: 38, maxMs: 50, repeats: 5 },
    { backend: "cuda", device: "H100", medianMs: 0.5, minMs: 0.4, maxMs: 0.7, repeats: 5 },
    { backend: "webgpu", device: "-", medianMs: 0, minMs: 0, maxMs: 0, repeats: 0, error: "no adapter" },
  ],
};

test("speed-ups are relative to the baseline's median; failed rows have none", () => {
  assert.deepEqual(speedups(comparison), [1, 80, undefined]);
  assert.deepEqual(speedups({ ...comparison, baseline: "tpu" }), [undefined, undefined, undefined]);
});

test("the comparison shows a row per backend, the error text, and marks the fastest", () => {
  const html = comparisonHtml(checkComparisonData(comparison));
  assert.equal(html.match(/<tr[^>]*data-backend=/g)?.length, 3);
  assert.match(html, /<tr class="tsgpu-mod-best" data-backend="cuda">/);
  assert.match(html, /no adapter/);
  assert.match(html, /80×/);
  assert.throws(() => checkComparisonData({ ...comparison, rows: [{ backend: "cpu" }] }), /rows\[0\]\.medianMs must be a number \(or set "error"\)/);
});

test("axis ticks are round and cover the data", () => {
  assert.deepEqual(niceTicks(0, 1, 5), [0, 0.2, 0.4, 0.6, 0.8, 1]);
  assert.deepEqual(niceTicks(0, 1), [0, 0.5, 1]);
  const t = niceTicks(0.13, 2.71);
  assert.ok(t[0]! <= 0.13 && t[t.length - 1]! >= 2.71);
  assert.ok(niceTicks(5, 5).length >= 2, "a constant series still gets an axis");
});

test("long series are thinned evenly and keep their last point", () => {
  const points = Array.from({ length: 1001 }, (_, i) => i);
  const kept = thin(points, 11);
  assert.equal(kept.length, 11);
  assert.equal(kept[0], 0);
  assert.equal(kept[10], 1000);
});

test("charts skip non-finite values and escape labels", () => {
  const svg = lineChartSvg("a&b", [{ name: "<x>", points: [[0, 1], [1, NaN], [2, 3]] }]);
  assert.match(svg, /a&amp;b/);
  assert.match(svg, /&lt;x&gt;/);
  assert.equal(svg.match(/[ML][\d.]+,[\d.]+/g)?.length, 2);
  const bars = barChartSvg("t", [{ label: "cpu", value: 10, note: "10 ms" }, { label: "gpu", value: NaN, note: "failed" }]);
  assert.match(bars, /width="0\.0" height="\d+" data-label="gpu"/, "a failed bar has no length");
  assert.match(bars, /width="[1-9][\d.]*" height="\d+" data-label="cpu"/);
});
