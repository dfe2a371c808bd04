/**
 * Renders a chart {@link Scene} to PNG bytes (kernel side: `png.ts` needs
 * node:zlib). SVG comes from `svg.ts`, re-exported here so the kernel has one
 * place to import both from.
 */
import { encodePng } from "./png.js";
import { Raster } from "./raster.js";
import type { Scene } from "./scene.js";

export { sceneToSvg } from "./svg.js";

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
      if (p.markers) for (const [x, y] of p.points) raster.disc(x, y, p.markers.radius, p.color);
    } else raster.text(p.x, p.y, p.text, p.color, p.anchor);
  }
  return encodePng(scene.width, scene.height, raster.pixels);
}
