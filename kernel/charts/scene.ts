/**
 * A chart scene: the drawing primitives a chart is laid out into, before it is
 * rendered. Charts build one scene; `svg.ts` and `raster_renderer.ts` draw the
 * same scene, so the SVG and the PNG of a chart always agree.
 *
 * Coordinates are pixels, origin top left, y down. Colours are `#rrggbb`.
 */

export interface PolylinePrimitive {
  kind: "polyline";
  points: ReadonlyArray<readonly [number, number]>;
  color: string;
  /** Stroke width in pixels. */
  width: number;
}

export interface RectPrimitive {
  kind: "rect";
  x: number;
  y: number;
  width: number;
  height: number;
  color: string;
}

export interface TextPrimitive {
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
