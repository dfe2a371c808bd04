/**
 * SVG text for a chart {@link Scene}, and the XML escaping every tsgpu HTML or
 * SVG builder uses. No DOM and no Node built-ins: the kernel's `text/html`
 * outputs and the JupyterLab renderers both call it.
 */
import { ChartError, type Primitive, type Scene } from "./scene.js";

/** Escapes text for XML/HTML content and quoted attribute values (XML 1.0 section 2.4, 3.3.3). */
export function escapeXml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

export interface SvgOptions {
  /** Class of the `<svg>` element (the renderers use `tsgpu-chart`, which their stylesheet themes). */
  className?: string;
}

const num = (value: number) => Number(value.toFixed(2)).toString();

function markup(p: Primitive): string {
  let out = p.className ? ` class="${escapeXml(p.className)}"` : "";
  for (const [key, value] of Object.entries(p.data ?? {})) {
    if (!/^[a-z][a-z0-9-]*$/.test(key)) throw new ChartError(`data attribute names must be lower case letters, digits and "-", got ${JSON.stringify(key)}`);
    out += ` data-${key}="${escapeXml(value)}"`;
  }
  return out;
}

/**
 * SVG markup for a scene. Presentation is in attributes only (no `style`
 * attributes or elements, no scripts), because GitHub and nbviewer strip
 * those from saved notebooks. Class names ride along for stylesheets: CSS
 * rules override presentation attributes (SVG 2, section 6.8).
 */
export function sceneToSvg(scene: Scene, options: SvgOptions = {}): string {
  const rootClass = options.className ? ` class="${escapeXml(options.className)}"` : "";
  const label = scene.label !== undefined ? ` role="img" aria-label="${escapeXml(scene.label)}"` : "";
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg"${rootClass} width="${scene.width}" height="${scene.height}" viewBox="0 0 ${scene.width} ${scene.height}"${label} font-family="monospace" font-size="10">`,
    `<rect class="tsgpu-chart-background" x="0" y="0" width="${scene.width}" height="${scene.height}" fill="${scene.background}"/>`,
  ];
  for (const p of scene.primitives) {
    if (p.kind === "rect") {
      parts.push(`<rect${markup(p)} x="${num(p.x)}" y="${num(p.y)}" width="${num(p.width)}" height="${num(p.height)}" fill="${p.color}"/>`);
    } else if (p.kind === "polyline") {
      const points = p.points.map(([x, y]) => `${num(x)},${num(y)}`).join(" ");
      parts.push(`<polyline${markup(p)} points="${points}" fill="none" stroke="${p.color}" stroke-width="${p.width}" stroke-linejoin="round"/>`);
      if (p.markers) {
        const dotClass = p.markers.className ? ` class="${escapeXml(p.markers.className)}"` : "";
        for (const [x, y] of p.points) parts.push(`<circle${dotClass} cx="${num(x)}" cy="${num(y)}" r="${num(p.markers.radius)}" fill="${p.color}"/>`);
      }
    } else {
      parts.push(`<text${markup(p)} x="${num(p.x)}" y="${num(p.y)}" fill="${p.color}" text-anchor="${p.anchor}" dominant-baseline="central">${escapeXml(p.text)}</text>`);
    }
  }
  parts.push("</svg>");
  return parts.join("");
}
