/**
 * Small SVG chart builders for the renderers: strings in, strings out, no DOM,
 * so unit tests run them in Node. Colours are CSS classes (see style/base.css)
 * that use JupyterLab theme variables, so charts follow light and dark themes.
 */

/** Escapes text for SVG/HTML content and attribute values. */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/** A number short enough for an axis label: 0.000123 -> "1.23e-4", 12345 -> "12.3k". */
export function shortNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs === 0) return "0";
  if (abs >= 1e6) return `${+(value / 1e6).toPrecision(3)}M`;
  if (abs >= 1e4) return `${+(value / 1e3).toPrecision(3)}k`;
  if (abs < 1e-3) return value.toExponential(2).replace(/\.?0+e/, "e").replace("e-", "e-");
  return String(+value.toPrecision(3));
}

/** Round ticks covering [min, max]: about `count` of them at 1/2/5 x 10^k steps. */
export function niceTicks(min: number, max: number, count = 4): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = min === 0 ? 1 : Math.abs(min) * 0.1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.floor(min / step) * step;
  const ticks: number[] = [];
  for (let t = first; t <= max + step * 0.5 && ticks.length < 50; t += step) ticks.push(+t.toPrecision(12));
  if (ticks[ticks.length - 1]! < max) ticks.push(+(ticks[ticks.length - 1]! + step).toPrecision(12));
  return ticks;
}

/** One line of a line chart. */
export interface Series {
  name: string;
  points: ReadonlyArray<readonly [number, number]>;
  /** Drawn with markers (few points, e.g. per epoch) rather than a plain line. */
  markers?: boolean;
}

/** Keeps at most `max` points, evenly spaced, always keeping the last one. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}

/** A line chart with axes, grid and a legend. Series classes: tsgpu-series-0..7. */
export function lineChartSvg(title: string, series: Series[], options: { width?: number; height?: number; xLabel?: string } = {}): string {
  const width = options.width ?? 340;
  const height = options.height ?? 220;
  const clean = series.map((s) => ({ ...s, points: thin(s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)), 500) }));
  const xs = clean.flatMap((s) => s.points.map(([x]) => x));
  const ys = clean.flatMap((s) => s.points.map(([, y]) => y));
  const xTicks = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1);
  const yTicks = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1);
  const left = 46;
  const right = width - 10;
  const top = 24;
  const legendRows = Math.ceil(clean.length / 2);
  const bottom = height - 26 - legendRows * 14;
  const x0 = xTicks[0]!;
  const x1 = xTicks[xTicks.length - 1]!;
  const y0 = yTicks[0]!;
  const y1 = yTicks[yTicks.length - 1]!;
  const sx = (x: number) => left + ((x - x0) / (x1 - x0 || 1)) * (right - left);
  const sy = (y: number) => bottom - ((y - y0) / (y1 - y0 || 1)) * (bottom - top);
  const parts: string[] = [];
  parts.push(`<text class="tsgpu-chart-title" x="${left}" y="15">${escapeXml(title)}</text>`);
  for (const t of yTicks) {
    parts.push(`<line class="tsgpu-chart-grid" x1="${left}" x2="${right}" y1="${sy(t).toFixed(1)}" y2="${sy(t).toFixed(1)}"/>`);
    parts.push(`<text class="tsgpu-chart-tick" x="${left - 4}" y="${(sy(t) + 3).toFixed(1)}" text-anchor="end">${escapeXml(shortNumber(t))}</text>`);
  }
  for (const t of xTicks) {
    parts.push(`<text class="tsgpu-chart-tick" x="${sx(t).toFixed(1)}" y="${bottom + 12}" text-anchor="middle">${escapeXml(shortNumber(t))}</text>`);
  }
  parts.push(`<line class="tsgpu-chart-axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>`);
  parts.push(`<line class="tsgpu-chart-axis" x1="${left}" x2="${left}" y1="${top}" y2="${bottom}"/>`);
  if (options.xLabel) parts.push(`<text class="tsgpu-chart-tick" x="${right}" y="${bottom + 24}" text-anchor="end">${escapeXml(options.xLabel)}</text>`);
  clean.forEach((s, i) => {
    const cls = `tsgpu-series-${i % 8}`;
    if (s.points.length > 0) {
      const d = s.points.map(([x, y], j) => `${j === 0 ? "M" : "L"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join("");
      parts.push(`<path class="tsgpu-chart-line ${cls}" d="${d}" data-series="${escapeXml(s.name)}"/>`);
      if (s.markers) for (const [x, y] of s.points) parts.push(`<circle class="tsgpu-chart-marker ${cls}" cx="${sx(x).toFixed(1)}" cy="${sy(y).toFixed(1)}" r="2.5"/>`);
    }
    const lx = left + (i % 2) * ((right - left) / 2);
    const ly = bottom + 36 + Math.floor(i / 2) * 14;
    parts.push(`<rect class="tsgpu-chart-swatch ${cls}" x="${lx}" y="${ly - 8}" width="10" height="3"/>`);
    parts.push(`<text class="tsgpu-chart-legend" x="${lx + 14}" y="${ly - 4}">${escapeXml(s.name)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tsgpu-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">${parts.join("")}</svg>`;
}

/** One bar of a bar chart. */
export interface Bar {
  label: string;
  value: number;
  /** Text after the bar, e.g. "12.3 ms (4.1x)". */
  note: string;
  /** Highlight (e.g. the fastest). */
  best?: boolean;
}

/** A horizontal bar chart; bars with non-finite values show only their note. */
export function barChartSvg(title: string, bars: Bar[], options: { width?: number } = {}): string {
  const width = options.width ?? 480;
  const rowHeight = 22;
  const labelWidth = Math.min(160, 12 + 7 * Math.max(4, ...bars.map((b) => b.label.length)));
  const noteWidth = 130;
  const top = 24;
  const height = top + bars.length * rowHeight + 8;
  const max = Math.max(0, ...bars.filter((b) => Number.isFinite(b.value)).map((b) => b.value));
  const span = width - labelWidth - noteWidth - 10;
  const parts = [`<text class="tsgpu-chart-title" x="4" y="15">${escapeXml(title)}</text>`];
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const w = Number.isFinite(bar.value) && max > 0 ? Math.max(1, (bar.value / max) * span) : 0;
    parts.push(`<text class="tsgpu-chart-legend" x="${labelWidth - 6}" y="${y + 14}" text-anchor="end">${escapeXml(bar.label)}</text>`);
    parts.push(`<rect class="tsgpu-chart-bar${bar.best ? " tsgpu-mod-best" : ""}" x="${labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="${rowHeight - 6}" data-label="${escapeXml(bar.label)}"/>`);
    parts.push(`<text class="tsgpu-chart-tick" x="${labelWidth + w + 6}" y="${y + 14}">${escapeXml(bar.note)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" class="tsgpu-chart" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeXml(title)}">${parts.join("")}</svg>`;
}
