/**
 * The training chart view: checks a `application/vnd.tsgpu.training+json`
 * payload and turns it into HTML (summary line + loss and accuracy charts).
 * Pure: no DOM, no JupyterLab. The charts are the kernel's (`kernel/charts/`).
 */
import { lineChartScene, type LineSeries } from "../../kernel/charts/line_chart";
import { escapeXml, sceneToSvg } from "../../kernel/charts/svg";
import type { TrainingChartData, TrainingPoint } from "../../kernel/runtime/mime_types";
import { formatDuration } from "../timing/timing";

/** Thrown for a payload that does not follow kernel/runtime/mime_types.ts. */
export class PayloadError extends Error {
  override name = "PayloadError";
}

function isPointList(value: unknown): value is TrainingPoint[] {
  return Array.isArray(value) && value.every((p) => p !== null && typeof p === "object" && typeof (p as TrainingPoint).step === "number" && typeof (p as TrainingPoint).values === "object");
}

/** Validates the payload; throws {@link PayloadError} naming the bad field. */
export function checkTrainingData(data: unknown): TrainingChartData {
  if (data === null || typeof data !== "object") throw new PayloadError("training chart data must be an object");
  const d = data as Partial<TrainingChartData>;
  if (!isPointList(d.steps)) throw new PayloadError('training chart field "steps" must be an array of {step, epoch, values}');
  if (!isPointList(d.epochs)) throw new PayloadError('training chart field "epochs" must be an array of {step, epoch, values}');
  for (const field of ["epoch", "totalEpochs", "batch", "elapsedSeconds"] as const) {
    if (typeof d[field] !== "number") throw new PayloadError(`training chart field "${field}" must be a number, got ${JSON.stringify(d[field])}`);
  }
  return d as TrainingChartData;
}

/** Metric names grouped into chart panels: losses together, the rest (accuracies...) together. */
export function metricPanels(data: TrainingChartData): { title: string; metrics: string[] }[] {
  const names = new Set<string>();
  for (const p of [...data.steps, ...data.epochs]) Object.keys(p.values).forEach((k) => names.add(k));
  const all = [...names];
  const losses = all.filter((n) => /loss/i.test(n));
  const others = all.filter((n) => !/loss/i.test(n));
  const panels: { title: string; metrics: string[] }[] = [];
  if (losses.length) panels.push({ title: "Loss", metrics: losses });
  if (others.length) panels.push({ title: others.every((n) => /acc/i.test(n)) ? "Accuracy" : "Metrics", metrics: others });
  return panels;
}

/** The series of one panel: per-step lines, and per-epoch values (x = the epoch's last step) with markers. */
export function panelSeries(data: TrainingChartData, metrics: string[]): LineSeries[] {
  const series: LineSeries[] = [];
  for (const metric of metrics) {
    const steps = data.steps.filter((p) => typeof p.values[metric] === "number").map((p) => [p.step, p.values[metric]!] as const);
    if (steps.length > 0) series.push({ name: `${metric} (step)`, points: steps });
    const epochs = data.epochs.filter((p) => typeof p.values[metric] === "number").map((p) => [p.step, p.values[metric]!] as const);
    if (epochs.length > 0) series.push({ name: `${metric} (epoch)`, points: epochs, markers: true });
  }
  return series;
}

/** "Epoch 2/5 · batch 120/469 · 5,400 samples/s · 12.0 s elapsed · about 30.0 s left · webgpu". */
export function trainingSummary(data: TrainingChartData): string {
  const parts = [`Epoch ${data.epoch}/${data.totalEpochs}`];
  parts.push(data.batchesPerEpoch ? `batch ${data.batch}/${data.batchesPerEpoch}` : `batch ${data.batch}`);
  if (data.samplesPerSecond !== undefined) parts.push(`${Math.round(data.samplesPerSecond).toLocaleString("en-US")} samples/s`);
  parts.push(`${formatDuration(data.elapsedSeconds * 1000)} elapsed`);
  if (data.done) parts.push("done");
  else if (data.secondsLeft !== undefined) parts.push(`about ${formatDuration(data.secondsLeft * 1000)} left`);
  parts.push(data.backend);
  if (data.memory) parts.push(`${data.memory.numTensors.toLocaleString("en-US")} tensors`);
  return parts.join(" · ");
}

/** One panel's chart as SVG: 340 px wide, taller when its two-column legend needs more than two rows. */
export function panelSvg(title: string, series: LineSeries[]): string {
  const height = 196 + Math.max(2, Math.ceil(series.length / 2)) * 12;
  const scene = lineChartScene([{ title, series, xLabel: "step" }], { width: 340, height, legendColumns: 2, maxPointsPerSeries: 500 });
  return sceneToSvg(scene, { className: "tsgpu-chart" });
}

/** The whole training view as HTML (all text escaped). */
export function trainingHtml(data: TrainingChartData): string {
  const panels = metricPanels(data).map((p) => panelSvg(p.title, panelSeries(data, p.metrics)));
  const progress = data.totalEpochs > 0 ? Math.min(1, ((data.epoch - 1) + (data.batchesPerEpoch ? data.batch / data.batchesPerEpoch : 0)) / data.totalEpochs) : 0;
  const percent = data.done ? 100 : Math.max(0, Math.round(progress * 100));
  return (
    `<div class="tsgpu-Training" data-done="${data.done}">` +
    `<div class="tsgpu-Training-title">${escapeXml(data.title)}</div>` +
    `<div class="tsgpu-Training-summary">${escapeXml(trainingSummary(data))}</div>` +
    `<div class="tsgpu-Training-progress"><div class="tsgpu-Training-progressBar" style="width:${percent}%"></div></div>` +
    `<div class="tsgpu-Training-charts">${panels.join("") || '<span class="tsgpu-Training-empty">waiting for the first batch…</span>'}</div>` +
    `</div>`
  );
}
