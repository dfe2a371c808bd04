/**
 * A chart scene: the drawing primitives a chart is laid out into, before it is
 * rendered. Charts build one scene; `svg.ts` (`sceneToSvg`) and `render.ts`
 * (`sceneToPng`, through `raster.ts`) draw the same scene, so the SVG and the
 * PNG of a chart always agree. The kernel's outputs and the JupyterLab
 * renderers (`src/renderers/`) lay out their charts here.
 *
 * This module and the layouts, scales and SVG writer it feeds import no Node
 * built-ins, so the browser bundle can use them; only `png.ts` (node:zlib)
 * and `render.ts` are kernel-side.
 *
 * Coordinates are pixels, origin top left, y down. Colours are `#rrggbb`.
 */

/** What every primitive may carry besides its geometry. */
export interface PrimitiveMarkup {
  /**
   * Space-separated class names (see {@link CHART_CLASSES}): a stylesheet can
   * theme the chart through them; the colour attribute stays the fallback.
   */
  className?: string;
  /** Written as `data-<key>` attributes in SVG (keys: lower case, digits, `-`). */
  data?: Readonly<Record<string, string>>;
}

export interface PolylinePrimitive extends PrimitiveMarkup {
  kind: "polyline";
  points: ReadonlyArray<readonly [number, number]>;
  color: string;
  /** Stroke width in pixels. */
  width: number;
  /** When set, a filled dot of this radius (in the line's colour) marks each point. */
  markers?: { radius: number; className?: string };
}

export interface RectPrimitive extends PrimitiveMarkup {
  kind: "rect";
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

export interface TextPrimitive extends PrimitiveMarkup {
  kind: "text";
  x: number;
  /** Baseline-independent: the vertical middle of the text. */
  y: number;
  text: string;
  color: string;
  anchor: "start" | "middle" | "end";
}

export type Primitive = PolylinePrimitive | RectPrimitive | TextPrimitive;

export interface Scene {
  width: number;
  height: number;
  background: string;
  primitives: Primitive[];
  /** Accessible name of the chart (SVG `aria-label`). */
  label?: string;
}

/** Text height in pixels that both renderers use (the bitmap font is 7 px tall, drawn 1:1). */
export const TEXT_HEIGHT = 7;
/** Advance per character in pixels (5 px glyph + 1 px gap). */
export const CHAR_ADVANCE = 6;

/** Width of a text in pixels, as both renderers draw it. */
export function textWidth(text: string): number {
  return Math.max(0, text.length * CHAR_ADVANCE - 1);
}

/** Parses `#rrggbb` into [r, g, b]; throws on anything else. */
export function parseColor(color: string): [number, number, number] {
  const match = /^#([0-9a-fA-F]{6})$/.exec(color);
  if (!match) throw new ChartError(`colour must be written #rrggbb, got ${JSON.stringify(color)}`);
  const value = Number.parseInt(match[1]!, 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** Bad chart input (sizes, colours, data). */
export class ChartError extends Error {
  override name = "ChartError";
}

/** A palette that reads on white and survives greyscale printing reasonably. */
export const PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"];

/**
 * Class names the layouts put on primitives. The JupyterLab extension's
 * `style/base.css` maps them to theme variables, so its charts follow light and
 * dark themes; elsewhere (GitHub, nbviewer, the PNG) the colours apply.
 */
export const CHART_CLASSES = {
  background: "tsgpu-chart-background",
  title: "tsgpu-chart-title",
  tick: "tsgpu-chart-tick",
  legend: "tsgpu-chart-legend",
  grid: "tsgpu-chart-grid",
  axis: "tsgpu-chart-axis",
  line: "tsgpu-chart-line",
  marker: "tsgpu-chart-marker",
  swatch: "tsgpu-chart-swatch",
  bar: "tsgpu-chart-bar",
  highlight: "tsgpu-mod-best",
} as const;

/** Class of the i-th series, one per {@link PALETTE} colour: `tsgpu-series-0`..`7`. */
export function seriesClass(index: number): string {
  return `tsgpu-series-${index % PALETTE.length}`;
}

/** The palette colour of the i-th series. */
export function seriesColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}
