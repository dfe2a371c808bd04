/**
 * How a training chart displays: the tsgpu training MIME type (for the
 * JupyterLab renderer), a text progress line, HTML (progress bar and loss /
 * metric charts as inline SVG, attributes only, while training) and, in the
 * final update, a PNG of the charts, also embedded in the HTML as an `<img>`,
 * so saved notebooks show them everywhere (nbconvert prefers text/html).
 */
import { lineChartScene, type LinePanel } from "../charts/line_chart.js";
import { sceneToPng, sceneToSvg } from "../charts/render.js";
import { formatNumber } from "../charts/scale.js";
import type { MimeBundle } from "../runtime/display.js";
import { TRAINING_MIME, type TrainingChartData } from "../runtime/mime_types.js";
import { pngImageHtml } from "./chart_html.js";
import { formatBytes } from "./errors.js";

export interface TrainingViewOptions {
  width?: number;
  height?: number;
  /** Include image/png (always true in the final update). */
  png?: boolean;
}

/** "1m 05s", "42s", "1h 02m". */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds) || seconds < 0) return "?";
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Fraction of the whole fit done, 0..1. */
export function progressOf(data: TrainingChartData): number {
  if (data.done) return 1;
  const perEpoch = data.batchesPerEpoch;
  const epochsDone = Math.max(0, data.epoch);
  const within = perEpoch ? Math.min(1, data.batch / perEpoch) : 0;
  return Math.min(1, (epochsDone + within) / Math.max(1, data.totalEpochs));
}

/** The one-line text status: progress bar, metrics, speed, time left, memory. */
export function statusLine(data: TrainingChartData): string {
  const width = 24;
  const filled = Math.round(progressOf(data) * width);
  const bar = `[${"#".repeat(filled)}${".".repeat(width - filled)}]`;
  const last = data.steps[data.steps.length - 1]?.values ?? {};
  const lastEpoch = data.epochs[data.epochs.length - 1]?.values ?? {};
  const metrics = Object.entries({ ...last, ...lastEpoch })
    .map(([k, v]) => `${k} ${formatNumber(v)}`)
    .join("  ");
  const parts = [
    `${data.done ? "done" : `epoch ${Math.min(data.epoch + 1, data.totalEpochs)}/${data.totalEpochs}`} ${bar}${data.batchesPerEpoch ? ` ${data.batch}/${data.batchesPerEpoch}` : ""}`,
    metrics,
    data.samplesPerSecond === undefined ? "" : `${formatNumber(Math.round(data.samplesPerSecond))} samples/s`,
    data.done ? `took ${formatDuration(data.elapsedSeconds)}` : data.secondsLeft === undefined ? "" : `${formatDuration(data.secondsLeft)} left`,
    `on ${data.backend}`,
    data.memory ? `${data.memory.numTensors} tensors ${formatBytes(data.memory.numBytes)}` : "",
  ];
  return parts.filter((p) => p !== "").join("  |  ");
}

/** Chart panels: one for the loss, one per other metric; validation values join their metric. */
export function trainingPanels(data: TrainingChartData): LinePanel[] {
  const names = new Set<string>();
  for (const p of [...data.steps, ...data.epochs]) for (const k of Object.keys(p.values)) names.add(k.replace(/^val_/, ""));
  const ordered = [...names].sort((a, b) => (a === "loss" ? -1 : b === "loss" ? 1 : a.localeCompare(b)));
  return ordered.map((name) => {
    const series = [] as LinePanel["series"];
    const batch = data.steps.filter((p) => name in p.values).map((p) => [p.step, p.values[name]!] as const);
    const epochTrain = data.epochs.filter((p) => name in p.values).map((p) => [p.step, p.values[name]!] as const);
    const validation = data.epochs.filter((p) => `val_${name}` in p.values).map((p) => [p.step, p.values[`val_${name}`]!] as const);
    if (batch.length) series.push({ name, points: batch });
    else if (epochTrain.length) series.push({ name, points: epochTrain });
    if (validation.length) series.push({ name: `val_${name}`, points: validation });
    return { title: name, series, xLabel: "step" };
  });
}

/** The MIME bundle for a training chart state. */
export function trainingBundle(data: TrainingChartData, options: TrainingViewOptions = {}): MimeBundle {
  const status = statusLine(data);
  const panels = trainingPanels(data);
  const width = options.width ?? Math.min(960, 320 * Math.max(1, panels.length));
  const height = options.height ?? 240;
  const scene = panels.length ? lineChartScene(panels, { width, height }) : undefined;
  const escapedTitle = data.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const barWidth = 300;
  const done = Math.round(progressOf(data) * barWidth);
  const progressSvg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${barWidth}" height="12" viewBox="0 0 ${barWidth} 12">` +
    `<rect x="0" y="0" width="${barWidth}" height="12" fill="#e6e6e6"/><rect x="0" y="0" width="${done}" height="12" fill="${data.done ? "#2ca02c" : "#1f77b4"}"/></svg>`;
  const escapedStatus = status.replace(/&/g, "&amp;").replace(/</g, "&lt;");
  const bundle: MimeBundle = { [TRAINING_MIME]: data, "text/plain": `${data.title}\n${status}` };
  if (scene && (options.png || data.done)) {
    // What notebooks save: the chart as an <img> of the PNG, which nbconvert and GitHub show (chart_html.ts).
    const png = sceneToPng(scene).toString("base64");
    bundle["text/html"] = `<div><p><b>${escapedTitle}</b></p><pre>${escapedStatus}</pre><div>${pngImageHtml(png, `${data.title}: ${panels.map((p) => p.title).join(", ")} per step`, scene)}</div></div>`;
    bundle["image/png"] = png;
  } else {
    // Live updates (many per second): inline SVG, no PNG encoding.
    bundle["text/html"] = `<div><p><b>${escapedTitle}</b></p><div>${progressSvg}</div><pre>${escapedStatus}</pre>${scene ? `<div>${sceneToSvg(scene)}</div>` : ""}</div>`;
  }
  return bundle;
}
