/**
 * Horizontal bar charts (e.g. time per backend): one labelled bar per row,
 * with the value written after the bar. Produces a {@link Scene}.
 */
import { linearScale } from "./scale.js";
import { CHART_CLASSES as CLASS, ChartError, type Primitive, type Scene, seriesColor, textWidth } from "./scene.js";

export interface Bar {
  label: string;
  value: number;
  /** Text after the bar; defaults to the value. */
  valueText?: string;
  color?: string;
  /** Marks the bar (e.g. the fastest) with the `tsgpu-mod-best` class. */
  highlight?: boolean;
}

export interface BarChartOptions {
  title?: string;
  width?: number;
  /** Height of one bar row in pixels. */
  rowHeight?: number;
}

/**
 * Lays out horizontal bars from zero; non-finite or negative values get a bar
 * of zero width (kept, with its `data-label`, so each row has one bar).
 */
export function barChartScene(bars: Bar[], options: BarChartOptions = {}): Scene {
  const width = options.width ?? 480;
  const rowHeight = options.rowHeight ?? 22;
  if (bars.length === 0) throw new ChartError("a bar chart needs at least one bar");
  const top = options.title ? 24 : 8;
  const height = top + bars.length * rowHeight + 8;
  const labelWidth = Math.max(...bars.map((b) => textWidth(b.label)));
  const valueWidth = Math.max(...bars.map((b) => textWidth(b.valueText ?? String(b.value))));
  const plotLeft = 8 + labelWidth + 8;
  const plotRight = width - 8 - valueWidth - 6;
  if (plotRight - plotLeft < 20) throw new ChartError(`bar chart of width ${width} px is too narrow for its labels`);
  const finite = bars.map((b) => (Number.isFinite(b.value) && b.value > 0 ? b.value : 0));
  const scale = linearScale(0, Math.max(...finite, Number.MIN_VALUE), plotLeft, plotRight);
  const primitives: Primitive[] = [];
  if (options.title) primitives.push({ kind: "text", x: width / 2, y: 11, text: options.title, color: "#222222", anchor: "middle", className: CLASS.title });
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const middle = y + rowHeight / 2;
    const end = finite[i]! > 0 ? Math.max(plotLeft + 1, scale(finite[i]!)) : plotLeft;
    primitives.push({ kind: "text", x: plotLeft - 8, y: middle, text: bar.label, color: "#222222", anchor: "end", className: CLASS.legend });
    const className = bar.highlight ? `${CLASS.bar} ${CLASS.highlight}` : CLASS.bar;
    primitives.push({ kind: "rect", x: plotLeft, y: y + 4, width: end - plotLeft, height: rowHeight - 8, color: bar.color ?? seriesColor(i), className, data: { label: bar.label } });
    primitives.push({ kind: "text", x: end + 6, y: middle, text: bar.valueText ?? String(bar.value), color: "#222222", anchor: "start", className: CLASS.tick });
  });
  primitives.push({ kind: "rect", x: plotLeft, y: top, width: 1, height: bars.length * rowHeight, color: "#444444", className: CLASS.axis });
  return { width, height, background: "#ffffff", primitives, ...(options.title ? { label: options.title } : {}) };
}
