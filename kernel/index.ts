/**
 * The `tsgpu` package: what notebook cells and Node programs import.
 *
 * ```ts
 * import * as tf from "@tensorflow/tfjs";
 * import { devices, use, compare, trainingChart, display } from "tsgpu";
 * ```
 *
 * Display and comms work inside the tsgpu kernel (and degrade to printing
 * text elsewhere); the tensor API registers tsgpu's backends into the same
 * TensorFlow.js engine that `@tensorflow/tfjs` gives you.
 */
export { display, DisplayHandle, JUPYTER_DISPLAY, toMimeBundle, type MimeBundle } from "./runtime/display";
export { comms, Comm, CommError, type CommData } from "./runtime/comms";
export { promptAsync, promptSync, StdinNotAllowedError } from "./runtime/stdin";
export { TRAINING_MIME, COMPARISON_MIME, type TrainingChartData, type ComparisonData, type ComparisonRow } from "./runtime/mime_types";
export * from "./tensor/index";
export { formatDuration, machineName, type ResultCell, type ResultRow, ResultsTable, type ResultsTableOptions, resultSpeedup, resultsTable } from "./tensor/results_table";
export * from "./tensor/data/index";
export { devices, devicesBundle } from "./monitor/devices";
export * as gpt from "./gpt/index";
