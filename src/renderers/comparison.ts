/**
 * The comparison view: checks a `application/vnd.tsgpu.comparison+json`
 * payload and renders a table (median, spread, speed-up against the baseline)
 * and a bar chart of median times. Pure: no DOM, no JupyterLab. The chart is
 * the kernel's (`kernel/charts/`).
 */
import { type Bar, barChartScene } from "../../kernel/charts/bar_chart";
import { formatNumber } from "../../kernel/charts/scale";
import { escapeXml, sceneToSvg } from "../../kernel/charts/svg";
import type { ComparisonData, ComparisonRow } from "../../kernel/runtime/mime_types";
import { PayloadError } from "./training";

/** Validates the payload; throws {@link PayloadError} naming the bad field. */
export function checkComparisonData(data: unknown): ComparisonData {
  if (data === null || typeof data !== "object") throw new PayloadError("comparison data must be an object");
  const d = data as Partial<ComparisonData>;
  if (typeof d.title !== "string") throw new PayloadError('comparison field "title" must be a string');
  if (typeof d.baseline !== "string") throw new PayloadError('comparison field "baseline" must be a backend name');
  if (!Array.isArray(d.rows)) throw new PayloadError('comparison field "rows" must be an array');
  d.rows.forEach((row: Partial<ComparisonRow>, i) => {
    if (typeof row?.backend !== "string") throw new PayloadError(`comparison rows[${i}].backend must be a string`);
    if (row.error === undefined && typeof row.medianMs !== "number") throw new PayloadError(`comparison rows[${i}].medianMs must be a number (or set "error")`);
  });
  return d as ComparisonData;
}

/** Milliseconds with 3 significant digits: "0.123 ms", "12.3 ms", "1,234 ms". */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "–";
  return ms >= 1000 ? `${Math.round(ms).toLocaleString("en-US")} ms` : `${+ms.toPrecision(3)} ms`;
}

/** Speed-up of each row against the baseline's median (baseline / row), undefined where unknown. */
export function speedups(data: ComparisonData): (number | undefined)[] {
  const base = data.rows.find((r) => r.backend === data.baseline && r.error === undefined);
  return data.rows.map((r) => (base && r.error === undefined && r.medianMs > 0 ? base.medianMs / r.medianMs : undefined));
}

/** The comparison as HTML: a table then a bar chart. */
export function comparisonHtml(data: ComparisonData): string {
  const ups = speedups(data);
  const valid = data.rows.filter((r) => r.error === undefined).map((r) => r.medianMs);
  const best = valid.length ? Math.min(...valid) : undefined;
  const rows = data.rows
    .map((r, i) => {
      const up = ups[i];
      const cells = r.error !== undefined
        ? `<td colspan="4" class="tsgpu-Comparison-error">${escapeXml(r.error)}</td>`
        : `<td>${formatMs(r.medianMs)}</td><td>${formatMs(r.minMs)} – ${formatMs(r.maxMs)}</td><td>${r.repeats}</td>` +
          `<td>${up === undefined ? "–" : `${formatNumber(up)}×`}</td>`;
      const cls = r.error === undefined && r.medianMs === best ? ' class="tsgpu-mod-best"' : "";
      return `<tr${cls} data-backend="${escapeXml(r.backend)}"><td>${escapeXml(r.backend)}</td><td>${escapeXml(r.device)}</td>${cells}</tr>`;
    })
    .join("");
  const bars: Bar[] = data.rows.map((r, i) => ({
    label: r.backend,
    value: r.error === undefined ? r.medianMs : NaN,
    valueText: r.error === undefined ? `${formatMs(r.medianMs)}${ups[i] !== undefined ? ` (${formatNumber(ups[i]!)}×)` : ""}` : "failed",
    highlight: r.error === undefined && r.medianMs === best,
  }));
  return (
    `<div class="tsgpu-Comparison">` +
    `<div class="tsgpu-Training-title">${escapeXml(data.title)}</div>` +
    `<table class="tsgpu-Comparison-table"><thead><tr><th>backend</th><th>device</th><th>median</th><th>min – max</th><th>runs</th><th>speed-up vs ${escapeXml(data.baseline)}</th></tr></thead><tbody>${rows}</tbody></table>` +
    sceneToSvg(barChartScene(bars, { title: "Median time (shorter is faster)", width: 480 }), { className: "tsgpu-chart" }) +
    `</div>`
  );
}
