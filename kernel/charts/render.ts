/** Renders a chart {@link Scene} to SVG text or to PNG bytes. */
import { encodePng } from "./png.js";
import { Raster } from "./raster.js";
import type { Scene } from "./scene.js";

const escapeXml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

const num = (value: number) => Number(value.toFixed(2)).toString();

/**
 * SVG markup for a scene. Presentation is in attributes only (no `style`
 * attributes or elements, no scripts), because GitHub and nbviewer strip
 * those from saved notebooks.
 */
export function sceneToSvg(scene: Scene): string {
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}" font-family="monospace" font-size="10">`,
    `<rect x="0" y="0" width="${scene.width}" height="${scene.height}" fill="${scene.background}"/>`,
  ];
  for (const p of scene.primitives) {
    if (p.kind === "rect") {
      parts.push(`<rect x="${num(p.x)}" y="${num(p.y)}" width="${num(p.width)}" height="${num(p.height)}" fill="${p.color}"/>`);
    } else if (p.kind === "polyline") {
      const points = p.points.map(([x, y]) => `${num(x)},${num(y)}`).join(" ");
      parts.push(`<polyline points="${points}" fill="none" stroke="${p.color}" stroke-width="${p.width}" stroke-linejoin="round"/>`);
    } else {
      parts.push(
        `<text x="${num(p.x)}" y="${num(p.y)}" fill="${p.color}" text-anchor="${p.anchor}" dominant-baseline="central">${escapeXml(p.text)}</text>`,
      );
    }
  }
  parts.push("</svg>");
  return parts.join("");
}

/** PNG bytes for a scene, drawn by the built-in rasteriser. */
export function sceneToPng(scene: Scene): Buffer {
  const raster = new Raster(scene.width, scene.height, scene.background);
  for (const p of scene.primitives) {
    if (p.kind === "rect") raster.fillRect(p.x, p.y, p.width, p.height, p.color);
    else if (p.kind === "polyline") {
      for (let i = 1; i < p.points.length; i++) {
        const [x0, y0] = p.points[i - 1]!;
        const [x1, y1] = p.points[i]!;
        raster.line(x0, y0, x1, y1, p.color, p.width);
      }
      if (p.points.length === 1) raster.line(p.points[0]![0], p.points[0]![1], p.points[0]![0], p.points[0]![1], p.color, p.width + 2);
    } else raster.text(p.x, p.y, p.text, p.color, p.anchor);
  }
  return encodePng(scene.width, scene.height, raster.pixels);
}
