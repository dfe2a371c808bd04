/**
 * Horizontal bar charts (e.g. time per backend): one labelled bar per row,
 * with the value written after the bar. Produces a {@link Scene}.
 */
import { linearScale } from "./scale.js";
import { ChartError, PALETTE, type Primitive, type Scene, textWidth } from "./scene.js";

export interface Bar {
  label: string;
  value: number;
  /** Text after the bar; defaults to the value. */
  valueText?: string;
  color?: string;
}

export interface BarChartOptions {
  title?: string;
  width?: number;
  /** Height of one bar row in pixels. */
  rowHeight?: number;
}

/** Lays out horizontal bars from zero; non-finite or negative values draw no bar. */
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
  if (options.title) primitives.push({ kind: "text", x: width / 2, y: 11, text: options.title, color: "#222222", anchor: "middle" });
  bars.forEach((bar, i) => {
    const y = top + i * rowHeight;
    const middle = y + rowHeight / 2;
    const end = finite[i]! > 0 ? Math.max(plotLeft + 1, scale(finite[i]!)) : plotLeft;
    primitives.push({ kind: "text", x: plotLeft - 8, y: middle, text: bar.label, color: "#222222", anchor: "end" });
    if (end > plotLeft) primitives.push({ kind: "rect", x: plotLeft, y: y + 4, width: end - plotLeft, height: rowHeight - 8, color: bar.color ?? PALETTE[i % PALETTE.length]! });
    primitives.push({ kind: "text", x: end + 6, y: middle, text: bar.valueText ?? String(bar.value), color: "#222222", anchor: "start" });
  });
  primitives.push({ kind: "rect", x: plotLeft, y: top, width: 1, height: bars.length * rowHeight, color: "#444444" });
  return { width, height, background: "#ffffff", primitives };
}
