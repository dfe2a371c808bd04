/**
 * tsgpu's own MIME types. Every bundle that carries one of them also carries
 * `text/plain`, `text/html` and `image/png`, so a notebook saved with outputs
 * reads well where the JupyterLab extension is absent (GitHub, nbviewer, Colab).
 * The extension (`src/`) renders these types live; this file is the contract.
 */

/** A live training chart, updated through a display id. */
export const TRAINING_MIME = "application/vnd.tsgpu.training+json";
/** A CPU-vs-GPU (or any backends) comparison: table and bar chart. */
export const COMPARISON_MIME = "application/vnd.tsgpu.comparison+json";

export interface TrainingPoint {
  /** Global step (batch) index. */
  step: number;
  epoch: number;
  /** Metric values at this step, e.g. { loss: 0.3, acc: 0.91 }. */
  values: Record<string, number>;
}

export interface TrainingChartData {
  title: string;
  /** Per-batch points (may be thinned for long runs). */
  steps: TrainingPoint[];
  /** Per-epoch points, metrics including validation ones (val_loss...). */
  epochs: TrainingPoint[];
  epoch: number;
  totalEpochs: number;
  /** Batches done in the current epoch, and per epoch. */
  batch: number;
  batchesPerEpoch?: number;
  samplesPerSecond?: number;
  /** Estimated seconds left for the whole fit. */
  secondsLeft?: number;
  elapsedSeconds: number;
  backend: string;
  memory?: { numTensors: number; numBytes: number };
  done: boolean;
}

export interface ComparisonRow {
  /** Backend name, e.g. "cpu-blas" or "cuda". */
  backend: string;
  /** Device description, e.g. "NVIDIA H100 80GB HBM3" or "2 x Intel Xeon". */
  device: string;
  /** Median time of one run, milliseconds. */
  medianMs: number;
  /** Spread: min and max of the repeats, milliseconds. */
  minMs: number;
  maxMs: number;
  repeats: number;
  /** Set when the backend could not run the workload. */
  error?: string;
}

export interface ComparisonData {
  title: string;
  rows: ComparisonRow[];
  /** Backend the speed-up column is relative to. */
  baseline: string;
}
