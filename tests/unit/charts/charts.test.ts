import assert from "node:assert/strict";
import { test } from "node:test";
import { barChartScene, ChartError, escapeXml, formatNumber, lineChartScene, niceTicks, Raster, sceneToPng, sceneToSvg, thin } from "../../../kernel/charts/index.js";
import type { Primitive, RectPrimitive } from "../../../kernel/charts/scene.js";
import { decodeRgba } from "./png_reader.js";

const rects = (primitives: Primitive[], classPrefix: string) => primitives.filter((p): p is RectPrimitive => p.kind === "rect" && (p.className ?? "").startsWith(classPrefix));

const curve = (scale: number) => Array.from({ length: 40 }, (_, i) => [i, scale * Math.exp(-i / 10)] as const);

test("nice ticks are round numbers covering the range", () => {
  assert.deepEqual(niceTicks(0, 1, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const t = niceTicks(0.13, 2.71, 4);
  assert.ok(t.min <= 0.13 && t.max >= 2.71);
  assert.deepEqual(t.ticks, [0, 1, 2, 3]);
  assert.deepEqual(niceTicks(5, 5).ticks.length > 1, true, "a constant series still gets an axis");
  assert.deepEqual(niceTicks(NaN, 1).ticks, [0, 1], "non-finite bounds fall back to 0..1");
});

test("numbers are short: k, M, G suffixes, three significant digits, exponents below 1e-3", () => {
  assert.deepEqual([0, 0.5, 1.23456, 12345, 2.5e6, 3e9, 0.00012, -1500, Infinity].map(formatNumber), ["0", "0.5", "1.23", "12.3k", "2.5M", "3G", "1.2e-4", "-1500", "Infinity"]);
});

test("long series are thinned evenly and keep their first and last points", () => {
  const kept = thin(Array.from({ length: 1001 }, (_, i) => i), 11);
  assert.deepEqual(kept, [0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  assert.deepEqual(thin([1, 2, 3], 5), [1, 2, 3]);
});

test("line chart pixels change with the data", () => {
  const a = decodeRgba(sceneToPng(lineChartScene([{ title: "loss", series: [{ name: "loss", points: curve(1) }] }], { width: 200, height: 120 })));
  const b = decodeRgba(sceneToPng(lineChartScene([{ title: "loss", series: [{ name: "loss", points: curve(1).map(([x, y]) => [x, 1 - y] as const) }] }], { width: 200, height: 120 })));
  assert.equal(a.width, 200);
  assert.equal(a.height, 120);
  let differing = 0;
  for (let i = 0; i < a.pixels.length; i += 4) if (a.pixels[i] !== b.pixels[i] || a.pixels[i + 1] !== b.pixels[i + 1]) differing++;
  assert.ok(differing > 50, `only ${differing} pixels differ`);
  const blue = (p: Uint8Array) => {
    let n = 0;
    for (let i = 0; i < p.length; i += 4) if (p[i] === 0x1f && p[i + 1] === 0x77 && p[i + 2] === 0xb4) n++;
    return n;
  };
  assert.ok(blue(a.pixels) > 40, "the series is drawn in its colour");
});

test("bar lengths follow the values; a missing value keeps a zero-width bar", () => {
  const scene = barChartScene([{ label: "cpu", value: 100 }, { label: "webgpu", value: 25, highlight: true }, { label: "cuda", value: NaN }]);
  const bars = rects(scene.primitives, "tsgpu-chart-bar");
  assert.deepEqual(bars.map((b) => [b.data?.label, b.className]), [["cpu", "tsgpu-chart-bar"], ["webgpu", "tsgpu-chart-bar tsgpu-mod-best"], ["cuda", "tsgpu-chart-bar"]]);
  assert.ok(Math.abs(bars[0]!.width / bars[1]!.width - 4) < 0.1, `widths ${bars[0]!.width} and ${bars[1]!.width}`);
  assert.equal(bars[2]!.width, 0);
});

test("SVG uses attributes only: no scripts, no style attributes", () => {
  const svg = sceneToSvg(lineChartScene([{ title: "a <b> & c", series: [{ name: "x", points: curve(2) }, { name: "y", points: curve(1) }] }]));
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<polyline class="tsgpu-chart-line tsgpu-series-0" data-series="x" points="[^"]+" fill="none" stroke="#1f77b4"/);
  assert.match(svg, /<polyline class="tsgpu-chart-line tsgpu-series-1" data-series="y" points="[^"]+" fill="none" stroke="#ff7f0e"/);
  assert.doesNotMatch(svg, /<script|style=|<style/);
  assert.match(svg, />a &lt;b&gt; &amp; c</);
  assert.match(svg, /aria-label="a &lt;b&gt; &amp; c"/);
});

test("XML escaping covers text and both attribute quotes", () => {
  assert.equal(escapeXml(`<a href="x" title='y'>&amp;</a>`), "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;");
  const svg = sceneToSvg({ width: 10, height: 10, background: "#ffffff", primitives: [{ kind: "rect", x: 0, y: 0, width: 1, height: 1, color: "#000000", className: `a" onload="x`, data: { label: `"><script>` } }] }, { className: "c'" });
  assert.doesNotMatch(svg, /<script|" onload=/);
  assert.match(svg, /class="c&#39;"/);
  assert.throws(() => sceneToSvg({ width: 1, height: 1, background: "#ffffff", primitives: [{ kind: "rect", x: 0, y: 0, width: 1, height: 1, color: "#000000", data: { "on load": "x" } }] }), ChartError);
});

test("a legend in columns takes fewer rows and leaves the plot taller", () => {
  const series = ["a", "b", "c", "d"].map((name, i) => ({ name, points: curve(i + 1) }));
  const layout = (columns: number) => {
    const { primitives } = lineChartScene([{ title: "t", series }], { width: 340, height: 220, legendColumns: columns });
    const xAxis = rects(primitives, "tsgpu-chart-axis").find((r) => r.width > 10)!;
    return { legendRows: new Set(rects(primitives, "tsgpu-chart-swatch").map((r) => r.y)).size, plotBottom: xAxis.y };
  };
  assert.deepEqual(layout(1).legendRows, 4);
  assert.deepEqual(layout(2).legendRows, 2);
  assert.equal(layout(2).plotBottom - layout(1).plotBottom, 24, "the plot grows by the two rows saved");
});

test("series with markers get a dot per point in the SVG and the PNG", () => {
  const panel = { title: "acc", series: [{ name: "epoch", points: [[0, 0], [1, 1], [2, 0.5]] as const, markers: true }] };
  const scene = lineChartScene([panel], { width: 200, height: 120 });
  assert.equal(sceneToSvg(scene).match(/<circle class="tsgpu-chart-marker tsgpu-series-0" cx="[\d.]+" cy="[\d.]+" r="2.5" fill="#1f77b4"\/>/g)?.length, 3);
  const blue = (png: Buffer) => {
    const { pixels } = decodeRgba(png);
    let n = 0;
    for (let i = 0; i < pixels.length; i += 4) if (pixels[i] === 0x1f && pixels[i + 1] === 0x77 && pixels[i + 2] === 0xb4) n++;
    return n;
  };
  const plain = lineChartScene([{ ...panel, series: [{ ...panel.series[0]!, markers: false }] }], { width: 200, height: 120 });
  assert.ok(blue(sceneToPng(scene)) > blue(sceneToPng(plain)) + 10, "dots add pixels in the series colour");
});

test("text draws pixels with the bitmap font; unknown characters draw a box", () => {
  const r = new Raster(40, 10);
  r.text(1, 5, "A1", "#000000");
  const dark = (raster: Raster) => raster.pixels.filter((v, i) => i % 4 === 0 && v === 0).length;
  assert.ok(dark(r) > 10);
  const box = new Raster(10, 10);
  box.text(1, 5, "\u2603", "#000000");
  assert.equal(dark(box), 20, "a 5x7 hollow box has 20 pixels");
});

test("rejects bad colours, sizes and empty charts", () => {
  assert.throws(() => new Raster(10, 10, "red"), ChartError);
  assert.throws(() => new Raster(0, 10), ChartError);
  assert.throws(() => lineChartScene([]), /at least one panel/);
  assert.throws(() => barChartScene([]), /at least one bar/);
});
