/**
 * `trainingChart()`: a tfjs-layers callback that shows a live progress bar
 * and loss / metric charts in the cell while `model.fit` runs, updated in
 * place (update_display_data) at most `updateEveryMs` apart, with samples/s,
 * time left and tensor memory. The last update carries the PNG too, so the
 * chart stays in the saved notebook.
 *
 *   await model.fit(xs, ys, { epochs: 5, callbacks: [trainingChart()] });
 */
import { display, type DisplayHandle } from "../runtime/display.js";
import type { TrainingChartData, TrainingPoint } from "../runtime/mime_types.js";
import { tfjs, type Tfjs } from "./tfjs.js";
import { trainingBundle } from "./training_view.js";

export interface TrainingChartOptions {
  title?: string;
  /** Minimum time between live updates, ms. Default 250 (at most 4 a second). */
  updateEveryMs?: number;
  /** Batch points kept for the chart before older ones are thinned. Default 2000. */
  maxPoints?: number;
  /** Chart size in pixels. */
  width?: number;
  height?: number;
}

type Logs = Record<string, unknown> | undefined;

/** Numbers from a logs object whose values may be numbers or scalar tensors (read with await data()). */
export async function resolveLogs(logs: Logs): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const [key, value] of Object.entries(logs ?? {})) {
    if (key === "batch" || key === "size") continue;
    if (typeof value === "number") out[key] = value;
    else if (value && typeof (value as { data?: unknown }).data === "function") {
      const data = (await (value as { data(): Promise<ArrayLike<number>> }).data()) as ArrayLike<number>;
      if (data.length > 0) out[key] = Number(data[0]);
    }
  }
  return out;
}

/** The callback's public surface beyond tfjs's Callback. */
export interface TrainingChartCallback {
  /** The chart's current state (what the MIME bundle carries). */
  readonly data: TrainingChartData;
  /** Number of display updates sent so far (the first display included). */
  readonly updates: number;
}

let CallbackClass: (new (options: TrainingChartOptions) => InstanceType<Tfjs["Callback"]> & TrainingChartCallback) | undefined;

function defineClass(tf: Tfjs) {
  class TrainingChart extends tf.Callback implements TrainingChartCallback {
    data: TrainingChartData;
    updates = 0;
    private handle: DisplayHandle | undefined;
    private lastUpdate = 0;
    private startTime = 0;
    private epochStart = 0;
    private samplesSeen = 0;
    private stepsDone = 0;
    private currentEpoch = 0;
    private readonly options: Required<Pick<TrainingChartOptions, "updateEveryMs" | "maxPoints">> & TrainingChartOptions;

    constructor(options: TrainingChartOptions) {
      super();
      this.options = { updateEveryMs: 250, maxPoints: 2000, ...options };
      this.data = this.freshData();
    }

    private freshData(): TrainingChartData {
      return { title: this.options.title ?? "Training", steps: [], epochs: [], epoch: 0, totalEpochs: 1, batch: 0, elapsedSeconds: 0, backend: tf.getBackend(), done: false };
    }

    private fitParams(): { epochs?: number; initialEpoch?: number; samples?: number; steps?: number; batchSize?: number } {
      return (this as unknown as { params?: Record<string, number> }).params ?? {};
    }

    private batchesPerEpoch(): number | undefined {
      const p = this.fitParams();
      if (typeof p.steps === "number" && p.steps > 0) return p.steps;
      if (typeof p.samples === "number" && typeof p.batchSize === "number" && p.batchSize > 0) return Math.ceil(p.samples / p.batchSize);
      return undefined;
    }

    override async onTrainBegin(): Promise<void> {
      const p = this.fitParams();
      this.data = this.freshData();
      this.data.totalEpochs = (p.epochs ?? 1) - (p.initialEpoch ?? 0);
      const perEpoch = this.batchesPerEpoch();
      if (perEpoch !== undefined) this.data.batchesPerEpoch = perEpoch;
      this.startTime = performance.now();
      this.samplesSeen = 0;
      this.stepsDone = 0;
      this.updates = 0;
      this.handle = display(new BundleValue(this.bundle()));
      this.updates++;
      this.lastUpdate = performance.now();
    }

    override async onEpochBegin(epoch: number): Promise<void> {
      this.currentEpoch = epoch - (this.fitParams().initialEpoch ?? 0);
      this.data.epoch = this.currentEpoch;
      this.data.batch = 0;
      this.epochStart = performance.now();
    }

    override async onBatchEnd(batch: number, logs?: Logs): Promise<void> {
      const values = await resolveLogs(logs);
      const size = typeof logs?.["size"] === "number" ? (logs["size"] as number) : (this.fitParams().batchSize ?? 0);
      this.samplesSeen += size;
      this.stepsDone++;
      this.data.batch = batch + 1;
      this.pushStep({ step: this.stepsDone, epoch: this.currentEpoch, values });
      this.refreshStats();
      if (performance.now() - this.lastUpdate >= this.options.updateEveryMs) this.update(false);
    }

    override async onEpochEnd(epoch: number, logs?: Logs): Promise<void> {
      const values = await resolveLogs(logs);
      this.data.epochs.push({ step: this.stepsDone, epoch: epoch - (this.fitParams().initialEpoch ?? 0), values });
      this.data.epoch = this.currentEpoch + 1;
      this.refreshStats();
      this.update(false);
    }

    override async onTrainEnd(): Promise<void> {
      this.refreshStats();
      this.data.done = true;
      delete this.data.secondsLeft;
      this.update(true);
    }

    private pushStep(point: TrainingPoint): void {
      const steps = this.data.steps;
      steps.push(point);
      if (steps.length > this.options.maxPoints) {
        // Keep every other point (the newest always): memory and chart size stay bounded.
        this.data.steps = steps.filter((_, i) => i % 2 === 1 || i === steps.length - 1);
      }
    }

    private refreshStats(): void {
      const elapsed = (performance.now() - this.startTime) / 1000;
      this.data.elapsedSeconds = elapsed;
      this.data.backend = tf.getBackend();
      if (elapsed > 0 && this.samplesSeen > 0) this.data.samplesPerSecond = this.samplesSeen / elapsed;
      const perEpoch = this.data.batchesPerEpoch;
      if (perEpoch !== undefined && this.stepsDone > 0) {
        const total = perEpoch * this.data.totalEpochs;
        this.data.secondsLeft = Math.max(0, ((total - this.stepsDone) * elapsed) / this.stepsDone);
      }
      const memory = tf.memory();
      this.data.memory = { numTensors: memory.numTensors, numBytes: memory.numBytes };
    }

    private bundle(png = false) {
      return trainingBundle(this.data, { png, ...(this.options.width ? { width: this.options.width } : {}), ...(this.options.height ? { height: this.options.height } : {}) });
    }

    private update(final: boolean): void {
      if (!this.handle) return;
      this.handle.update(new BundleValue(this.bundle(final)));
      this.updates++;
      this.lastUpdate = performance.now();
    }
  }
  return TrainingChart;
}

/** A value that displays as the given bundle, for DisplayHandle.update. */
class BundleValue {
  constructor(private readonly bundle: Record<string, unknown>) {}
  [Symbol.for("Jupyter.display")]() {
    return this.bundle;
  }
}

/**
 * A tfjs-layers callback that charts training live in the cell. Pass it in
 * `callbacks` of `model.fit` / `model.fitDataset`.
 */
export function trainingChart(options: TrainingChartOptions = {}): InstanceType<Tfjs["Callback"]> & TrainingChartCallback {
  CallbackClass ??= defineClass(tfjs());
  return new CallbackClass(options);
}
