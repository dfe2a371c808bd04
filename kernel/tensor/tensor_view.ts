/**
 * How TensorFlow.js tensors and layers models display in a notebook
 * (registered as a display formatter by kernel/monitor/child_setup.ts).
 *
 * - text/plain: a first line `Tensor float32 [2,3] on cpu-blas`, then the
 *   values as tfjs's `toString()` prints them (rows aligned, long dimensions
 *   summarised with `...`).
 * - text/html: a table for small 1-D and 2-D tensors; for others a summary
 *   (shape, dtype, backend, bytes, min/max/mean, the first values).
 * - A large tensor is never read back whole: min, max and mean are
 *   reductions run on the tensor's own backend, and only those three numbers
 *   and the first {@link HEAD_VALUES} values come back.
 * - Backends that cannot read synchronously (webgpu in Node) give a promise of
 *   the bundle; the kernel waits for it.
 * - Duck-typed: works with any copy of tfjs in the process (they share one
 *   engine, `globalThis._tfengine`).
 */
import type { MimeBundle } from "../runtime/display.js";
import { formatBytes } from "./errors.js";

/** Tensors up to this many elements are read whole and shown in full. */
export const SMALL_TENSOR_ELEMENTS = 1000;
/** How many leading values a large tensor's summary shows. */
export const HEAD_VALUES = 10;
/** Backends whose `readSync` cannot work in Node; their tensors are read with `await data()`. */
const ASYNC_READ_BACKENDS = new Set(["webgpu", "webgl"]);

type Values = ArrayLike<number | string | boolean | Uint8Array>;

/** The part of a tfjs Tensor this view uses. */
export interface TensorLike {
  readonly dataId: object;
  readonly shape: number[];
  readonly dtype: string;
  readonly size: number;
  readonly isDisposed: boolean;
  dataSync(): Values;
  data(): Promise<Values>;
  reshape(shape: number[]): TensorLike;
  slice(begin: number, size: number): TensorLike;
  cast(dtype: string): TensorLike;
  min(): TensorLike;
  max(): TensorLike;
  mean(): TensorLike;
  dispose(): void;
}

interface EngineLike {
  backendName: string | null;
  registry: Record<string, object>;
  state: { tensorInfo: { get(dataId: object): { backend: object } | undefined } };
  setBackend(name: string): Promise<boolean>;
}

/** True for a tfjs Tensor of any copy of tfjs (checked without loading tfjs). */
export function isTensorLike(value: unknown): value is TensorLike {
  const t = value as Partial<TensorLike> | null;
  return t !== null && typeof t === "object" && typeof t.dataId === "object" && Array.isArray(t.shape) && typeof t.dtype === "string" && typeof t.dataSync === "function" && typeof t.data === "function";
}

function engine(): EngineLike | undefined {
  return (globalThis as { _tfengine?: EngineLike })._tfengine;
}

/** The name of the backend holding the tensor's data, or undefined when tfjs cannot say. */
export function tensorBackend(tensor: TensorLike): string | undefined {
  const e = engine();
  const backend = e?.state.tensorInfo.get(tensor.dataId)?.backend;
  if (!e || !backend) return undefined;
  return Object.keys(e.registry).find((name) => e.registry[name] === backend);
}

const BYTES_PER_ELEMENT: Record<string, number> = { float32: 4, int32: 4, bool: 1, complex64: 8 };

/** What a display shows of a tensor: everything, or a summary read with small reductions. */
interface TensorReading {
  values?: Values;
  head?: Values;
  min?: number;
  max?: number;
  mean?: number;
}

export interface TensorViewOptions {
  /** Read with `await data()` even when `dataSync()` would work (tests; default by backend). */
  asyncRead?: boolean;
}

/** The MIME bundle of a tensor, or a promise of it when its backend reads asynchronously. */
export function tensorBundle(tensor: TensorLike, options: TensorViewOptions = {}): MimeBundle | Promise<MimeBundle> {
  if (tensor.isDisposed) return disposedBundle(tensor);
  const backend = tensorBackend(tensor) ?? "unknown backend";
  const asyncRead = options.asyncRead ?? ASYNC_READ_BACKENDS.has(backend);
  const small = tensor.size <= SMALL_TENSOR_ELEMENTS;
  if (small) {
    if (!asyncRead) return render(tensor, backend, { values: tensor.dataSync() });
    return tensor.data().then((values) => render(tensor, backend, { values }));
  }
  const parts = onBackend(backend, () => summaryTensors(tensor));
  if (!asyncRead) {
    try {
      return render(tensor, backend, readParts(parts, (t) => t.dataSync()));
    } finally {
      for (const t of Object.values(parts)) t?.dispose();
    }
  }
  return (async () => {
    try {
      const entries = await Promise.all(Object.entries(parts).map(async ([key, t]) => [key, t ? await t.data() : undefined] as const));
      return render(tensor, backend, readParts(Object.fromEntries(entries) as Partial<SummaryParts<Values>>, (values) => values));
    } finally {
      for (const t of Object.values(parts)) t?.dispose();
    }
  })();
}

type SummaryParts<T> = { head: T; min?: T; max?: T; mean?: T };

/** The small tensors a summary reads: the first values and (for numbers) min, max, mean as scalars. */
function summaryTensors(tensor: TensorLike): SummaryParts<TensorLike> {
  const created: TensorLike[] = [];
  const keep = (t: TensorLike) => (created.push(t), t);
  try {
    const flat = keep(tensor.reshape([-1]));
    const head = flat.slice(0, Math.min(HEAD_VALUES, tensor.size));
    if (tensor.dtype === "string" || tensor.dtype === "complex64") return { head };
    const numbers = tensor.dtype === "bool" ? keep(flat.cast("int32")) : flat;
    const asFloat = tensor.dtype === "float32" ? numbers : keep(numbers.cast("float32"));
    return { head, min: numbers.min(), max: numbers.max(), mean: asFloat.mean() };
  } finally {
    for (const t of created) t.dispose();
  }
}

function readParts<T>(parts: Partial<SummaryParts<T>>, read: (t: T) => Values): TensorReading {
  const scalar = (t: T | undefined) => (t === undefined ? undefined : Number(read(t)[0]));
  return { head: parts.head === undefined ? undefined : read(parts.head), min: scalar(parts.min), max: scalar(parts.max), mean: scalar(parts.mean) };
}

/**
 * Runs `work` with tfjs's active backend set to `backend`, so ops on a tensor
 * held by another backend run where its data is instead of copying it whole
 * to the active one. Switching between initialised backends is synchronous.
 */
function onBackend<T>(backend: string, work: () => T): T {
  const e = engine();
  const active = e?.backendName;
  if (!e || !active || active === backend || !(backend in e.registry)) return work();
  void e.setBackend(backend);
  try {
    return work();
  } finally {
    void e.setBackend(active);
  }
}

function disposedBundle(tensor: TensorLike): MimeBundle {
  const text = `Tensor ${tensor.dtype} [${tensor.shape.join(",")}] (disposed: its data is freed)`;
  return { "text/plain": text, "text/html": `<p>${escapeHtml(text)}</p>` };
}

function header(tensor: TensorLike, backend: string): string {
  return `Tensor ${tensor.dtype} [${tensor.shape.join(",")}] on ${backend}`;
}

function render(tensor: TensorLike, backend: string, reading: TensorReading): MimeBundle {
  const first = header(tensor, backend);
  const bytes = tensor.size * (BYTES_PER_ELEMENT[tensor.dtype] ?? 0);
  if (reading.values) {
    const text = `${first}\n${formatValues(reading.values, tensor.shape, tensor.dtype)}`;
    return { "text/plain": text, "text/html": tensor.shape.length <= 2 ? tableHtml(first, reading.values, tensor.shape, tensor.dtype) : `<pre>${escapeHtml(text)}</pre>` };
  }
  const stats = [
    ["min", reading.min],
    ["max", reading.max],
    ["mean", reading.mean],
  ].filter(([, v]) => v !== undefined) as [string, number][];
  const head = Array.from(reading.head ?? [], (v) => formatValue(v, tensor.dtype));
  const more = tensor.size > head.length ? ", ..." : "";
  const lines = [
    first,
    `${tensor.size.toLocaleString("en-US")} values${bytes ? `, ${formatBytes(bytes)}` : ""}`,
    ...(stats.length ? [stats.map(([k, v]) => `${k} ${formatValue(v, "float32")}`).join("  ")] : []),
    `first values: [${head.join(", ")}${more}]`,
  ];
  const rows = [
    ["shape", `[${tensor.shape.join(", ")}]`],
    ["dtype", tensor.dtype],
    ["backend", backend],
    ["values", tensor.size.toLocaleString("en-US")],
    ...(bytes ? [["bytes", formatBytes(bytes)]] : []),
    ...stats.map(([k, v]) => [k, formatValue(v, "float32")]),
    ["first values", `[${head.join(", ")}${more}]`],
  ];
  const html = `<table><caption>${escapeHtml(first)}</caption><tbody>${rows.map(([k, v]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(v!)}</td></tr>`).join("")}</tbody></table>`;
  return { "text/plain": lines.join("\n"), "text/html": html };
}

function tableHtml(caption: string, values: Values, shape: number[], dtype: string): string {
  const columns = shape.length === 2 ? shape[1]! : shape.length === 1 ? shape[0]! : 1;
  const rows = shape.length === 2 ? shape[0]! : 1;
  const body: string[] = [];
  for (let r = 0; r < rows; r++) {
    const cells: string[] = [];
    for (let c = 0; c < columns; c++) cells.push(`<td>${escapeHtml(formatValue(values[r * columns + c]!, dtype))}</td>`);
    body.push(`<tr>${shape.length === 2 ? `<th>${r}</th>` : ""}${cells.join("")}</tr>`);
  }
  const head = shape.length >= 1 ? `<thead><tr>${shape.length === 2 ? "<th></th>" : ""}${Array.from({ length: columns }, (_, c) => `<th>${c}</th>`).join("")}</tr></thead>` : "";
  return `<table><caption>${escapeHtml(caption)}</caption>${head}<tbody>${body.join("")}</tbody></table>`;
}

/** One value as tfjs prints it: floats with up to 7 significant decimals, strings quoted. */
function formatValue(value: number | string | boolean | Uint8Array, dtype: string): string {
  if (dtype === "string") return `'${value instanceof Uint8Array ? Buffer.from(value).toString("utf8") : String(value)}'`;
  if (dtype === "bool") return value ? "true" : "false";
  const n = Number(value);
  if (dtype === "float32") return Number.isInteger(n) ? n.toFixed(0) : String(Number.parseFloat(n.toFixed(7)));
  return String(n);
}

/** Dimensions longer than this are summarised (first and last three), as tfjs does (FORMAT_LIMIT_NUM_VALS). */
const SUMMARY_THRESHOLD = 20;
const EDGE = 3;

/** The values in nested brackets, each column padded on the right, like tfjs's `Tensor.toString()`. */
export function formatValues(values: Values, shape: number[], dtype: string): string {
  const strings = Array.from(values, (v) => formatValue(v, dtype));
  if (shape.length === 0) return `    ${strings[0]}`;
  const columns = shape[shape.length - 1]!;
  const pad = new Array<number>(columns).fill(0);
  strings.forEach((text, i) => (pad[i % columns] = Math.max(pad[i % columns]!, text.length)));
  const strides = shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
  const lines = (offset: number, dim: number): string[] => {
    const size = shape[dim]!;
    const indices = size > SUMMARY_THRESHOLD ? [...range(0, EDGE), -1, ...range(size - EDGE, size)] : range(0, size);
    if (dim === shape.length - 1) {
      return [`[${indices.map((i) => (i < 0 ? "..." : strings[offset + i]!.padEnd(pad[i]!))).join(", ")}]`];
    }
    const out: string[] = [];
    indices.forEach((i, k) => {
      const last = k === indices.length - 1;
      const inner = i < 0 ? ["..."] : lines(offset + i * strides[dim]!, dim + 1);
      inner.forEach((line, j) => out.push(line === "" ? "" : `${k === 0 && j === 0 ? "[" : " "}${line}${j === inner.length - 1 ? (last ? "]" : ",") : ""}`));
      if (!last) for (let b = 0; b < shape.length - dim - 2; b++) out.push(""); // blank lines between blocks, as tfjs
    });
    return out;
  };
  return lines(0, 0)
    .map((line) => (line === "" ? "" : `    ${line}`))
    .join("\n");
}

function range(from: number, to: number): number[] {
  return Array.from({ length: Math.max(0, to - from) }, (_, i) => from + i);
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
