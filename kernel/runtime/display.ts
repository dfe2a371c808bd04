/**
 * Rich display for notebook cells and for libraries (training charts,
 * comparisons). Works in and out of the kernel:
 *
 * - Inside the tsgpu kernel the execution process installs a {@link DisplaySink}
 *   under a `Symbol.for` key, so every copy of this module (the kernel's own and
 *   a notebook's `node_modules/tsgpu`) reaches the same front end.
 * - Outside a kernel (plain `node`), `display()` prints the `text/plain` part.
 *
 * Objects can describe themselves with the Deno-compatible protocol: a method
 * under `Symbol.for("Jupyter.display")` that returns a MIME bundle (or a
 * promise of one). Library classes that cannot (tfjs tensors and models) get
 * a formatter registered from above ({@link registerDisplayFormatter}).
 */
import { inspect } from "node:util";

/** A MIME bundle: MIME type -> data (string, or JSON for `+json` types). */
export type MimeBundle = Record<string, unknown>;

/** The method key objects implement to control how they display (as in Deno). */
export const JUPYTER_DISPLAY = Symbol.for("Jupyter.display");

export interface DisplayRequest {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  /** Set to later update this output in place. */
  displayId?: string;
  /** True to replace an earlier output with this display id. */
  update: boolean;
}

/** Where display requests go; installed by the kernel's execution process. */
export interface DisplaySink {
  display(request: DisplayRequest): void;
  clearOutput(wait: boolean): void;
}

const SINK_KEY = Symbol.for("tsgpu.display.sink");
type SinkHolder = { [SINK_KEY]?: DisplaySink };

/** Installs the sink (kernel use). Returns the previous one. */
export function setDisplaySink(sink: DisplaySink | undefined): DisplaySink | undefined {
  const holder = globalThis as SinkHolder;
  const previous = holder[SINK_KEY];
  holder[SINK_KEY] = sink;
  return previous;
}

/** True when running inside a tsgpu kernel (outputs reach a front end). */
export function inKernel(): boolean {
  return (globalThis as SinkHolder)[SINK_KEY] !== undefined;
}

function sink(): DisplaySink {
  return (globalThis as SinkHolder)[SINK_KEY] ?? consoleSink;
}

const consoleSink: DisplaySink = {
  display(request) {
    if (request.update) return;
    const text = request.data["text/plain"];
    process.stdout.write(`${typeof text === "string" ? text : inspect(request.data)}\n`);
  },
  clearOutput() {},
};

/** The `text/plain` form of any value, as Node's REPL prints it (strings quoted). */
export function plainText(value: unknown): string {
  return inspect(value, { colors: false, depth: 4, maxArrayLength: 100 });
}

/** Marks display handles, so a cell ending in `display(...)` does not echo the handle. */
export const DISPLAY_HANDLE = Symbol.for("tsgpu.display.handle");

/** True for a {@link DisplayHandle} of any copy of this module. */
export function isDisplayHandle(value: unknown): boolean {
  return value !== null && typeof value === "object" && DISPLAY_HANDLE in value;
}

/**
 * Shows values of types that cannot carry their own `Symbol.for("Jupyter.display")`
 * method (library classes such as TensorFlow.js tensors and models): returns
 * the value's bundle, or a promise of it when reading the value is
 * asynchronous (a tensor on a GPU backend), or undefined to pass. Must be
 * cheap for values it does not handle (duck-type first).
 */
export type DisplayFormatter = (value: object) => MimeBundle | Promise<MimeBundle> | undefined;

const FORMATTERS_KEY = Symbol.for("tsgpu.display.formatters");
type FormatterHolder = { [FORMATTERS_KEY]?: DisplayFormatter[] };

/**
 * Adds a formatter, shared by every copy of this module in the process (the
 * kernel's and a notebook's `node_modules/tsgpu`). A value's own
 * `Symbol.for("Jupyter.display")` method always wins over formatters, so user
 * classes (and subclasses of library classes) keep their own display.
 */
export function registerDisplayFormatter(formatter: DisplayFormatter): void {
  const holder = globalThis as FormatterHolder;
  (holder[FORMATTERS_KEY] ??= []).push(formatter);
}

function withPlainText(bundle: unknown, value: unknown, source: string): MimeBundle {
  if (bundle === null || typeof bundle !== "object") {
    throw new TypeError(`${source} must return a MIME bundle object, got ${plainText(bundle)}`);
  }
  const result: MimeBundle = { ...(bundle as MimeBundle) };
  if (!("text/plain" in result)) result["text/plain"] = plainText(value);
  return result;
}

/**
 * The MIME bundle for a value, or a promise of it: its own
 * `Symbol.for("Jupyter.display")` bundle when it has one (the method may be
 * async, as in Deno), else a registered formatter's, else `text/plain`;
 * text/plain is added where missing.
 */
export function mimeBundleOf(value: unknown): MimeBundle | Promise<MimeBundle> {
  if (value !== null && (typeof value === "object" || typeof value === "function")) {
    const method = (value as { [JUPYTER_DISPLAY]?: unknown })[JUPYTER_DISPLAY];
    if (typeof method === "function") {
      const bundle = method.call(value) as unknown;
      const source = `[Symbol.for("Jupyter.display")]()`;
      return isPromise(bundle) ? bundle.then((b) => withPlainText(b, value, source)) : withPlainText(bundle, value, source);
    }
    for (const formatter of (globalThis as FormatterHolder)[FORMATTERS_KEY] ?? []) {
      const bundle = formatter(value);
      if (bundle === undefined) continue;
      return isPromise(bundle) ? bundle.then((b) => withPlainText(b, value, "a display formatter")) : withPlainText(bundle, value, "a display formatter");
    }
  }
  return { "text/plain": plainText(value) };
}

function isPromise(value: unknown): value is Promise<unknown> {
  return value !== null && typeof value === "object" && typeof (value as { then?: unknown }).then === "function";
}

/**
 * The MIME bundle for a value (see {@link mimeBundleOf}), synchronously: a
 * value whose display is asynchronous gets its `text/plain` form here; use
 * {@link mimeBundleOf} (or `display()`) to wait for the full bundle.
 */
export function toMimeBundle(value: unknown): MimeBundle {
  const bundle = mimeBundleOf(value);
  if (!isPromise(bundle)) return bundle;
  bundle.catch(() => {});
  return { "text/plain": plainText(value) };
}

const PENDING_KEY = Symbol.for("tsgpu.display.pending");
type PendingHolder = { [PENDING_KEY]?: Set<Promise<void>> };

/**
 * Waits for displays whose bundle is still being made (values read
 * asynchronously, such as GPU tensors). The kernel calls it before a cell
 * reports its end, so such outputs land in their cell.
 */
export async function settleDisplays(): Promise<void> {
  const pending = (globalThis as PendingHolder)[PENDING_KEY];
  while (pending && pending.size) await Promise.allSettled([...pending]);
}

function sendWhenReady(bundle: Promise<MimeBundle>, send: (data: MimeBundle) => void): void {
  const holder = globalThis as PendingHolder;
  const pending = (holder[PENDING_KEY] ??= new Set());
  const done: Promise<void> = bundle
    .then(send, (error: unknown) => send({ "text/plain": `display failed: ${error instanceof Error ? error.message : String(error)}` }))
    .finally(() => pending.delete(done));
  pending.add(done);
}

let nextDisplayId = 0;

/** A handle to one displayed output, to update it in place. */
export class DisplayHandle {
  readonly [DISPLAY_HANDLE] = true;
  constructor(readonly displayId: string) {}

  /** Replaces the output everywhere it is shown. */
  update(value: unknown, metadata: Record<string, unknown> = {}): void {
    sendBundle(bundleOf(value), (data) => sink().display({ data, metadata, displayId: this.displayId, update: true }));
  }
}

function bundleOf(value: unknown): MimeBundle | Promise<MimeBundle> {
  if (value instanceof RawBundle) return value.bundle;
  // display("text") shows the text itself; as a cell's value it would be quoted.
  if (typeof value === "string") return { "text/plain": value };
  return mimeBundleOf(value);
}

function sendBundle(bundle: MimeBundle | Promise<MimeBundle>, send: (data: MimeBundle) => void): void {
  if (isPromise(bundle)) sendWhenReady(bundle, send);
  else send(bundle);
}

/** A MIME bundle passed as is (see {@link display.bundle}). */
class RawBundle {
  constructor(readonly bundle: MimeBundle) {}
  [JUPYTER_DISPLAY](): MimeBundle {
    return this.bundle;
  }
}

export interface DisplayOptions {
  /** Give an id to update this output later; one is made when `update` handles are wanted. */
  displayId?: string;
  metadata?: Record<string, unknown>;
}

/**
 * Shows a value in the cell's output (display_data) and returns a handle to
 * update it. Strings show as text; use `display.html`, `display.markdown`...
 * for other kinds.
 */
export function display(value: unknown, options: DisplayOptions = {}): DisplayHandle {
  const displayId = options.displayId ?? `tsgpu-${process.pid}-${nextDisplayId++}`;
  sendBundle(bundleOf(value), (data) => sink().display({ data, metadata: options.metadata ?? {}, displayId, update: false }));
  return new DisplayHandle(displayId);
}

function textBundle(mime: string, text: string): RawBundle {
  return new RawBundle({ [mime]: text, "text/plain": text });
}

function bytesToBase64(bytes: Uint8Array | ArrayBuffer | string): string {
  if (typeof bytes === "string") return bytes;
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  return Buffer.from(view.buffer, view.byteOffset, view.byteLength).toString("base64");
}

/** Builders for typed outputs; each returns a value to pass to `display` or to end a cell with. */
export namespace display {
  export const html = (html: string, options?: DisplayOptions) => display(textBundle("text/html", html), options);
  export const markdown = (md: string, options?: DisplayOptions) => display(textBundle("text/markdown", md), options);
  export const svg = (svg: string, options?: DisplayOptions) => display(textBundle("image/svg+xml", svg), options);
  export const latex = (tex: string, options?: DisplayOptions) => display(textBundle("text/latex", tex), options);
  export const json = (value: unknown, options?: DisplayOptions) =>
    display(new RawBundle({ "application/json": value, "text/plain": plainText(value) }), options);
  /** PNG bytes (or base64 text). */
  export const png = (bytes: Uint8Array | ArrayBuffer | string, options?: DisplayOptions) =>
    display(new RawBundle({ "image/png": bytesToBase64(bytes), "text/plain": "<PNG image>" }), options);
  /** JPEG bytes (or base64 text). */
  export const jpeg = (bytes: Uint8Array | ArrayBuffer | string, options?: DisplayOptions) =>
    display(new RawBundle({ "image/jpeg": bytesToBase64(bytes), "text/plain": "<JPEG image>" }), options);
  /** A whole MIME bundle, as is. */
  export const bundle = (data: MimeBundle, options?: DisplayOptions) => display(new RawBundle(data), options);
  /** An array of row objects as an HTML table (text table as text/plain). */
  export const table = (rows: readonly Record<string, unknown>[], options?: DisplayOptions) =>
    display(new RawBundle(tableBundle(rows)), options);
  /** Clears the cell's output; with `wait`, when the next output arrives. */
  export const clear = (wait = false) => sink().clearOutput(wait);
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

/** An HTML and text table from row objects; columns are the union of keys. */
export function tableBundle(rows: readonly Record<string, unknown>[]): MimeBundle {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (value: unknown) => (typeof value === "string" ? value : plainText(value));
  const head = columns.map((c) => `<th>${escapeHtml(c)}</th>`).join("");
  const body = rows
    .map((row) => `<tr>${columns.map((c) => `<td>${escapeHtml(cell(row[c]))}</td>`).join("")}</tr>`)
    .join("");
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((row) => cell(row[c]).length)));
  const line = (values: string[]) => values.map((v, i) => v.padEnd(widths[i]!)).join("  ").trimEnd();
  const text = [line(columns), line(widths.map((w) => "-".repeat(w))), ...rows.map((row) => line(columns.map((c) => cell(row[c]))))];
  return { "text/html": `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`, "text/plain": text.join("\n") };
}
