/**
 * `compare()`: the same work (a training step, a function) timed on several
 * backends, as a table and a bar chart.
 */
import { JUPYTER_DISPLAY, type MimeBundle } from "../runtime/display.js";
import type { ComparisonData, ComparisonRow } from "../runtime/mime_types.js";
import { type ProbeResult, reasonOf } from "./backend_entry.js";
import { comparisonBundle, comparisonTable } from "./comparison_view.js";
import { probeBackend, probeBackends } from "./registry.js";
import { switchBackend } from "./switch_backend.js";
import { tfjs, type Tfjs } from "./tfjs.js";
import { time, type TimingOptions } from "./timing.js";

export interface CompareOptions extends TimingOptions {
  /** Backends to run on, in order; default: every available one except a software WebGPU adapter. */
  backends?: string[];
  /** Backend the ratios are relative to; default "cpu" if run, else the first. */
  baseline?: string;
  title?: string;
}

/**
 * Work to time. Called once per run with tfjs and the backend's name; may be
 * async. Return the step's output tensors (e.g. the loss) so the timer can
 * wait for them; returned tensors are disposed after each run. Wrap tensor
 * math in `tf.tidy` (or dispose) so runs do not leak.
 */
export type Workload = (tf: Tfjs, backend: string) => unknown;

/** The result of {@link compare}: rows plus a rich display. */
export class Comparison implements ComparisonData {
  constructor(
    readonly title: string,
    readonly rows: ComparisonRow[],
    readonly baseline: string,
  ) {}

  /** The rows as a table of strings (what text/plain shows). */
  table(): Record<string, string>[] {
    return comparisonTable(this);
  }

  toJSON(): ComparisonData {
    return { title: this.title, rows: this.rows, baseline: this.baseline };
  }

  [JUPYTER_DISPLAY](): MimeBundle {
    return comparisonBundle(this.toJSON());
  }
}

/**
 * The backends `compare()` runs on when none are named: every available one
 * except a software GPU stand-in (llvmpipe is no GPU, only a test device;
 * name it in `backends` to include it).
 */
export function defaultComparisonBackends(statuses: readonly (ProbeResult & { name: string })[]): string[] {
  return statuses.filter((b) => b.available && !b.software).map((b) => b.name);
}

/**
 * Times `work` on each backend (warm-up, repeats, synchronised) and returns
 * a {@link Comparison}. A backend that is unavailable or fails gets a row
 * with `error`. tfjs's active backend is restored afterwards.
 */
export async function compare(work: Workload, options: CompareOptions = {}): Promise<Comparison> {
  if (typeof work !== "function") throw new TypeError(`compare() needs a function to run on each backend, got ${typeof work}`);
  const tf = tfjs();
  await tf.ready();
  const original = tf.getBackend();
  const names = options.backends ?? defaultComparisonBackends(await probeBackends());
  if (names.length === 0) throw new RangeError("compare() needs at least one backend name in options.backends");
  const rows: ComparisonRow[] = [];
  try {
    for (const name of names) {
      const probe = await probeBackend(name);
      const device = probe.device ?? name;
      const failed = (error: string): ComparisonRow => ({ backend: name, device, medianMs: Number.NaN, minMs: Number.NaN, maxMs: Number.NaN, repeats: 0, error });
      if (!probe.available) {
        rows.push(failed(probe.detail));
        continue;
      }
      try {
        if (!(await switchBackend(name))) throw new Error(`tf.setBackend("${name}") failed`);
        const timing = await time(() => work(tf, name), options);
        rows.push({ backend: name, device, medianMs: timing.medianMs, minMs: timing.minMs, maxMs: timing.maxMs, repeats: timing.repeats });
      } catch (error) {
        rows.push(failed(reasonOf(error)));
      }
    }
  } finally {
    await switchBackend(original);
  }
  const baseline = options.baseline ?? (names.includes("cpu") ? "cpu" : names[0]!);
  return new Comparison(options.title ?? "Comparison", rows, baseline);
}
