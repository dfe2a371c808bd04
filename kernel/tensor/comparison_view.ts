/**
 * How a comparison displays: the tsgpu MIME type for the JupyterLab renderer,
 * plus text/plain, text/html (table and the bar chart as an `<img>` of its PNG,
 * attributes only, no scripts or styles, so nbconvert and GitHub show it) and
 * image/png.
 */
import { barChartScene } from "../charts/bar_chart.js";
import { sceneToPng } from "../charts/render.js";
import { type MimeBundle, tableBundle } from "../runtime/display.js";
import { COMPARISON_MIME, type ComparisonData, type ComparisonRow } from "../runtime/mime_types.js";
import { pngImageHtml } from "./chart_html.js";

/** "12.3 ms", "1.25 s", "830 us". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms >= 1000) return `${(ms / 1000).toPrecision(3)} s`;
  if (ms >= 1) return `${ms.toPrecision(3)} ms`;
  return `${(ms * 1000).toPrecision(3)} us`;
}

/** Speed-up of `row` over the baseline row: baseline time / row time. */
export function speedup(data: ComparisonData, row: ComparisonRow): number | undefined {
  const base = data.rows.find((r) => r.backend === data.baseline && r.error === undefined);
  if (!base || row.error !== undefined || !(row.medianMs > 0)) return undefined;
  return base.medianMs / row.medianMs;
}

/** Table rows as strings, shared by the text and HTML tables. */
export function comparisonTable(data: ComparisonData): Record<string, string>[] {
  return data.rows.map((row) => {
    const ratio = speedup(data, row);
    return {
      backend: row.backend,
      device: row.device,
      median: row.error === undefined ? formatMs(row.medianMs) : "-",
      "min..max": row.error === undefined ? `${formatMs(row.minMs)}..${formatMs(row.maxMs)}` : "-",
      repeats: String(row.repeats),
      [`vs ${data.baseline}`]: ratio === undefined ? (row.error ? `error: ${row.error}` : "-") : `${ratio.toFixed(2)}x`,
    };
  });
}

function chartScene(data: ComparisonData) {
  const bars = data.rows.map((row) => {
    const ratio = speedup(data, row);
    return {
      label: row.backend,
      value: row.error === undefined ? row.medianMs : 0,
      valueText: row.error === undefined ? `${formatMs(row.medianMs)}${ratio === undefined ? "" : ` (${ratio.toFixed(2)}x)`}` : "error",
    };
  });
  return barChartScene(bars, { title: `${data.title}: median time per run` });
}

/** The full MIME bundle of a comparison. */
export function comparisonBundle(data: ComparisonData): MimeBundle {
  const table = tableBundle(comparisonTable(data));
  const scene = chartScene(data);
  const escapedTitle = data.title.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const png = sceneToPng(scene).toString("base64");
  return {
    [COMPARISON_MIME]: data,
    "text/plain": `${data.title} (lower is faster; ratio = ${data.baseline} time / backend time)\n${table["text/plain"] as string}`,
    "text/html": `<div><p><b>${escapedTitle}</b></p>${table["text/html"] as string}<div>${pngImageHtml(png, `${data.title}: median time per run`, scene)}</div></div>`,
    "image/png": png,
  };
}
