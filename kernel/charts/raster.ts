/**
 * A tiny RGBA rasteriser: filled rectangles, thick lines and 5x7 bitmap text,
 * enough for chart PNGs without a canvas library. No anti-aliasing.
 */
import { glyph } from "./bitmap_font.js";
import { ChartError, CHAR_ADVANCE, parseColor, TEXT_HEIGHT, textWidth } from "./scene.js";

export class Raster {
  /** RGBA bytes, row-major. */
  readonly pixels: Uint8Array;

  constructor(readonly width: number, readonly height: number, background = "#ffffff") {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || width * height > 16_777_216) {
      throw new ChartError(`raster size must be positive integers with at most 16M pixels, got ${width}x${height}`);
    }
    this.pixels = new Uint8Array(width * height * 4);
    this.fillRect(0, 0, width, height, background);
  }

  /** Sets one pixel (ignored outside the raster). */
  setPixel(x: number, y: number, rgb: readonly [number, number, number]): void {
    x = Math.round(x);
    y = Math.round(y);
    if (x < 0 || y < 0 || x >= this.width || y >= this.height) return;
    const i = (y * this.width + x) * 4;
    this.pixels[i] = rgb[0];
    this.pixels[i + 1] = rgb[1];
    this.pixels[i + 2] = rgb[2];
    this.pixels[i + 3] = 255;
  }

  fillRect(x: number, y: number, width: number, height: number, color: string): void {
    const rgb = parseColor(color);
    const x0 = Math.max(0, Math.round(x));
    const y0 = Math.max(0, Math.round(y));
    const x1 = Math.min(this.width, Math.round(x + width));
    const y1 = Math.min(this.height, Math.round(y + height));
    for (let py = y0; py < y1; py++) for (let px = x0; px < x1; px++) this.setPixel(px, py, rgb);
  }

  /** A line of the given width: a square brush stepped along the longer axis. */
  line(x0: number, y0: number, x1: number, y1: number, color: string, width = 1): void {
    const rgb = parseColor(color);
    const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
    const half = (Math.max(1, Math.round(width)) - 1) / 2;
    for (let s = 0; s <= steps; s++) {
      const x = x0 + ((x1 - x0) * s) / steps;
      const y = y0 + ((y1 - y0) * s) / steps;
      for (let dy = -Math.floor(half); dy <= Math.ceil(half); dy++) {
        for (let dx = -Math.floor(half); dx <= Math.ceil(half); dx++) this.setPixel(x + dx, y + dy, rgb);
      }
    }
  }

  /** A filled disc (pixels whose centre lies within `radius` of the centre). */
  disc(x: number, y: number, radius: number, color: string): void {
    const rgb = parseColor(color);
    const reach = Math.ceil(radius);
    for (let dy = -reach; dy <= reach; dy++) {
      for (let dx = -reach; dx <= reach; dx++) if (dx * dx + dy * dy <= radius * radius) this.setPixel(x + dx, y + dy, rgb);
    }
  }

  /** Draws text with the 5x7 font; `y` is the vertical middle of the text. */
  text(x: number, y: number, text: string, color: string, anchor: "start" | "middle" | "end" = "start"): void {
    const rgb = parseColor(color);
    const width = textWidth(text);
    let left = Math.round(anchor === "start" ? x : anchor === "middle" ? x - width / 2 : x - width);
    const top = Math.round(y - TEXT_HEIGHT / 2);
    for (const character of text) {
      const rows = glyph(character);
      rows.forEach((row, dy) => row.forEach((on, dx) => on && this.setPixel(left + dx, top + dy, rgb)));
      left += CHAR_ADVANCE;
    }
  }
}
