/**
 * Dependency-free chart rendering to SVG and PNG. `scene.ts`, `scale.ts`, the
 * layouts (`line_chart.ts`, `bar_chart.ts`) and `svg.ts` import no Node
 * built-ins and are shared with the JupyterLab renderers (`src/renderers/`),
 * which import those files directly; this index also pulls in `png.ts`
 * (node:zlib), so it is for the kernel only.
 */
export { barChartScene, type Bar, type BarChartOptions } from "./bar_chart.js";
export { lineChartScene, thin, type LineChartOptions, type LinePanel, type LineSeries } from "./line_chart.js";
export { crc32, encodePng, PNG_SIGNATURE } from "./png.js";
export { Raster } from "./raster.js";
export { sceneToPng } from "./render.js";
export { formatNumber, linearScale, niceTicks } from "./scale.js";
export { CHART_CLASSES, ChartError, PALETTE, seriesClass, type Primitive, type Scene } from "./scene.js";
export { escapeXml, sceneToSvg, type SvgOptions } from "./svg.js";
