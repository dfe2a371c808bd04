/**
 * Line charts (e.g. loss and accuracy per step): one or more series against a
 * shared x axis, optionally several panels side by side (one per metric
 * family). Produces a {@link Scene}; render it with `sceneToSvg`/`sceneToPng`.
 */
import { formatNumber, linearScale, niceTicks } from "./scale.js";
import { CHART_CLASSES as CLASS, ChartError, type Primitive, type Scene, seriesClass, seriesColor, TEXT_HEIGHT, textWidth } from "./scene.js";

export interface LineSeries {
  name: string;
  /** [x, y] points; non-finite y values are skipped (the line breaks there). */
  points: ReadonlyArray<readonly [number, number]>;
  color?: string;
  /** Marks each point with a dot (for few points, e.g. one per epoch). */
  markers?: boolean;
}

export interface LinePanel {
  title: string;
  series: LineSeries[];
  xLabel?: string;
}

export interface LineChartOptions {
  /** Pixel size of the whole chart (all panels). */
  width?: number;
  height?: number;
  /** Longest polyline drawn per series; longer series are thinned evenly. */
  maxPointsPerSeries?: number;
  /** Legend entries per row under each panel (default 1). */
  legendColumns?: number;
}

const AXIS = "#444444";
const GRID = "#e6e6e6";
const TEXT = "#222222";

/** Lays out panels of line series side by side. */
export function lineChartScene(panels: LinePanel[], options: LineChartOptions = {}): Scene {
  const width = options.width ?? 640;
  const height = options.height ?? 240;
  if (panels.length === 0) throw new ChartError("a line chart needs at least one panel");
  const panelWidth = Math.floor(width / panels.length);
  const layout = { maxPoints: options.maxPointsPerSeries ?? 400, legendColumns: Math.max(1, Math.floor(options.legendColumns ?? 1)) };
  const primitives: Primitive[] = [];
  panels.forEach((panel, index) => drawPanel(primitives, panel, index * panelWidth, panelWidth, height, layout));
  return { width, height, background: "#ffffff", primitives, label: panels.map((p) => p.title).join(", ") };
}

function drawPanel(out: Primitive[], panel: LinePanel, left: number, width: number, height: number, layout: { maxPoints: number; legendColumns: number }): void {
  const series = panel.series.map((s, i) => ({ ...s, color: s.color ?? seriesColor(i), className: seriesClass(i), points: thin(s.points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y)), layout.maxPoints) }));
  const all = series.flatMap((s) => s.points);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const xTicks = niceTicks(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, 4);
  const yTicks = niceTicks(ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1, 4);
  const yLabelWidth = Math.max(...yTicks.ticks.map((t) => textWidth(formatNumber(t))));
  const plotLeft = left + 8 + yLabelWidth + 4;
  const plotRight = left + width - 10;
  const plotTop = 22;
  const legendHeight = Math.ceil(series.length / layout.legendColumns) * (TEXT_HEIGHT + 5);
  const plotBottom = height - 22 - (series.length > 1 ? legendHeight : 0);
  if (plotRight - plotLeft < 20 || plotBottom - plotTop < 20) throw new ChartError(`chart of ${width}x${height} px per panel is too small to draw`);
  const sx = linearScale(xTicks.min, xTicks.max, plotLeft, plotRight);
  const sy = linearScale(yTicks.min, yTicks.max, plotBottom, plotTop);

  out.push({ kind: "text", x: left + width / 2, y: 10, text: panel.title, color: TEXT, anchor: "middle", className: CLASS.title });
  for (const t of yTicks.ticks) {
    out.push({ kind: "rect", x: plotLeft, y: Math.round(sy(t)), width: plotRight - plotLeft, height: 1, color: GRID, className: CLASS.grid });
    out.push({ kind: "text", x: plotLeft - 4, y: sy(t), text: formatNumber(t), color: TEXT, anchor: "end", className: CLASS.tick });
  }
  for (const t of xTicks.ticks) {
    out.push({ kind: "rect", x: Math.round(sx(t)), y: plotBottom, width: 1, height: 4, color: AXIS, className: CLASS.axis });
    out.push({ kind: "text", x: sx(t), y: plotBottom + 10, text: formatNumber(t), color: TEXT, anchor: "middle", className: CLASS.tick });
  }
  out.push({ kind: "rect", x: plotLeft, y: plotBottom, width: plotRight - plotLeft, height: 1, color: AXIS, className: CLASS.axis });
  out.push({ kind: "rect", x: plotLeft, y: plotTop, width: 1, height: plotBottom - plotTop, color: AXIS, className: CLASS.axis });
  if (panel.xLabel) out.push({ kind: "text", x: plotRight, y: plotBottom - 8, text: panel.xLabel, color: "#888888", anchor: "end", className: CLASS.tick });

  for (const s of series) {
    if (s.points.length === 0) continue;
    out.push({
      kind: "polyline",
      points: s.points.map(([x, y]) => [sx(x), sy(y)] as const),
      color: s.color,
      width: 2,
      className: `${CLASS.line} ${s.className}`,
      data: { series: s.name },
      ...(s.markers ? { markers: { radius: 2.5, className: `${CLASS.marker} ${s.className}` } } : {}),
    });
  }
  if (series.length > 1) {
    const columnWidth = (plotRight - plotLeft) / layout.legendColumns;
    series.forEach((s, i) => {
      const x = plotLeft + (i % layout.legendColumns) * columnWidth;
      const y = plotBottom + 22 + Math.floor(i / layout.legendColumns) * (TEXT_HEIGHT + 5);
      out.push({ kind: "rect", x, y: y - 1, width: 12, height: 3, color: s.color, className: `${CLASS.swatch} ${s.className}` });
      out.push({ kind: "text", x: x + 16, y, text: s.name, color: TEXT, anchor: "start", className: CLASS.legend });
    });
  }
}

/** At most `max` points, evenly spaced, always keeping the first and the last. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return [...points];
  const out: T[] = [];
  const step = (points.length - 1) / (max - 1);
  for (let i = 0; i < max; i++) out.push(points[Math.round(i * step)]!);
  return out;
}
