import assert from "node:assert/strict";
import { test } from "node:test";
import { barChartScene, ChartError, lineChartScene, niceTicks, Raster, sceneToPng, sceneToSvg } from "../../../kernel/charts/index.js";
import { decodeRgba } from "./png_reader.js";

const curve = (scale: number) => Array.from({ length: 40 }, (_, i) => [i, scale * Math.exp(-i / 10)] as const);

test("nice ticks are round numbers covering the range", () => {
  assert.deepEqual(niceTicks(0, 1, 5).ticks, [0, 0.2, 0.4, 0.6, 0.8, 1]);
  const t = niceTicks(0.13, 2.71, 4);
  assert.ok(t.min <= 0.13 && t.max >= 2.71);
  assert.deepEqual(t.ticks, [0, 1, 2, 3]);
  assert.deepEqual(niceTicks(5, 5).ticks.length > 1, true, "a constant series still gets an axis");
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

test("bar lengths follow the values", () => {
  const scene = barChartScene([{ label: "cpu", value: 100 }, { label: "webgpu", value: 25 }]);
  const bars = scene.primitives.filter((p) => p.kind === "rect" && p.color !== "#444444") as Array<{ width: number }>;
  assert.equal(bars.length, 2);
  assert.ok(Math.abs(bars[0]!.width / bars[1]!.width - 4) < 0.1, `widths ${bars[0]!.width} and ${bars[1]!.width}`);
});

test("SVG uses attributes only: no scripts, no style attributes", () => {
  const svg = sceneToSvg(lineChartScene([{ title: "a <b> & c", series: [{ name: "x", points: curve(2) }, { name: "y", points: curve(1) }] }]));
  assert.match(svg, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  assert.match(svg, /<polyline points="[^"]+" fill="none" stroke="#1f77b4"/);
  assert.doesNotMatch(svg, /<script|style=|<style/);
  assert.match(svg, /a &lt;b&gt; &amp; c/);
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
