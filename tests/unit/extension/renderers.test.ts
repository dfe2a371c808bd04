// The renderers' pure parts: payload checks, HTML and SVG for the training chart and the comparison.
// Scales, layouts and SVG writing are kernel/charts/'s, tested in tests/unit/charts/.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import type { ComparisonData, TrainingChartData } from "../../../kernel/runtime/mime_types.js";
import { checkComparisonData, comparisonHtml, speedups } from "../../../src/renderers/comparison.js";
import { checkTrainingData, metricPanels, panelSeries, panelSvg, PayloadError, trainingHtml, trainingSummary } from "../../../src/renderers/training.js";

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

test("training HTML escapes the title and draws one themed line per series", () => {
  const html = trainingHtml(training({ title: "<img src=x onerror=alert(1)>" }));
  assert.ok(!html.includes("<img"), "title is escaped");
  assert.ok(html.includes("&lt;img src=x onerror=alert(1)&gt;"));
  assert.equal(html.match(/<svg [^>]*class="tsgpu-chart"/g)?.length, 2, "one chart per panel, styled by style/base.css");
  const lines = [...html.matchAll(/<polyline class="tsgpu-chart-line (tsgpu-series-\d)" data-series="([^"]+)"/g)].map((m) => [m[2], m[1]]);
  assert.deepEqual(lines, [
    ["loss (step)", "tsgpu-series-0"],
    ["loss (epoch)", "tsgpu-series-1"],
    ["val_loss (epoch)", "tsgpu-series-2"],
    ["acc (step)", "tsgpu-series-0"],
    ["acc (epoch)", "tsgpu-series-1"],
    ["val_acc (epoch)", "tsgpu-series-2"],
  ]);
  assert.equal(html.match(/<circle class="tsgpu-chart-marker /g)?.length, 4, "per-epoch values have markers, per-step ones none");
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

test("charts skip non-finite values and escape labels", () => {
  const svg = panelSvg("a&b", [{ name: "<x>", points: [[0, 1], [1, NaN], [2, 3]] }, { name: "y", points: [[0, 2]] }]);
  assert.match(svg, /aria-label="a&amp;b"/);
  assert.match(svg, />&lt;x&gt;</, "legend entry escaped");
  assert.equal(/<polyline [^>]*data-series="&lt;x&gt;" points="([^"]+)"/.exec(svg)?.[1]?.split(" ").length, 2, "the NaN point is skipped");
});

test("the comparison chart has one bar per backend; the fastest is marked, a failed one has no length", () => {
  const html = comparisonHtml(comparison);
  const bars = [...html.matchAll(/<rect class="([^"]+)" data-label="([^"]+)" x="[\d.]+" y="[\d.]+" width="([\d.]+)"/g)].map((m) => [m[2], m[1], Number(m[3])] as const);
  assert.deepEqual(bars.map(([label, cls]) => [label, cls]), [
    ["cpu", "tsgpu-chart-bar"],
    ["cuda", "tsgpu-chart-bar tsgpu-mod-best"],
    ["webgpu", "tsgpu-chart-bar"],
  ]);
  assert.ok(bars[0]![2] > 50 * bars[1]![2], `bar widths ${JSON.stringify(bars)}`);
  assert.equal(bars[2]![2], 0, "a failed bar has no length");
  assert.match(html, />0\.5 ms \(80×\)</);
  assert.match(html, />failed</);
});

test("the renderers' chart code imports no Node built-ins (it is bundled for the browser)", () => {
  const root = path.resolve(__dirname, "..", "..", "..", "..");
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const [, spec] of readFileSync(file, "utf8").matchAll(/^(?:import|export)[^;]*? from "([^"]+)";/gms)) {
      assert.ok(!spec!.startsWith("node:") && !["fs", "zlib", "path", "crypto", "buffer"].includes(spec!), `${path.relative(root, file)} imports ${spec}`);
      if (spec!.startsWith(".")) visit(path.resolve(path.dirname(file), spec!).replace(/(\.js)?$/, ".ts"));
    }
  };
  for (const name of ["training.ts", "comparison.ts"]) visit(path.join(root, "src", "renderers", name));
  assert.ok([...seen].some((f) => f.endsWith(path.join("kernel", "charts", "svg.ts"))), "the renderers use kernel/charts/svg.ts");
});
