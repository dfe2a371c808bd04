/** Dependency-free chart rendering to SVG and PNG. */
export { barChartScene, type Bar, type BarChartOptions } from "./bar_chart.js";
export { lineChartScene, type LineChartOptions, type LinePanel, type LineSeries } from "./line_chart.js";
export { crc32, encodePng, PNG_SIGNATURE } from "./png.js";
export { Raster } from "./raster.js";
export { sceneToPng, sceneToSvg } from "./render.js";
export { formatNumber, niceTicks } from "./scale.js";
export { ChartError, type Scene, type Primitive } from "./scene.js";
