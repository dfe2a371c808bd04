/**
 * How a tf.layers model displays: its summary (layers, output shapes,
 * parameter counts) as text, as tfjs's `model.summary()` prints it, and as
 * an HTML table. Duck-typed, like tensor_view.ts.
 */
import type { MimeBundle } from "../runtime/display.js";

interface LayerLike {
  readonly name: string;
  readonly outputShape?: unknown;
  readonly trainableWeights?: { shape: number[] }[];
  getClassName(): string;
  countParams(): number;
}

/** The part of a tf.LayersModel this view uses. */
export interface LayersModelLike {
  readonly name: string;
  readonly layers: LayerLike[];
  readonly built?: boolean;
  countParams(): number;
  summary(lineLength?: number, positions?: number[], printFn?: (message?: unknown, ...rest: unknown[]) => void): void;
  getClassName?(): string;
}

/** True for a tf.LayersModel (Sequential included) of any copy of tfjs. */
export function isLayersModelLike(value: unknown): value is LayersModelLike {
  const m = value as Partial<LayersModelLike> | null;
  return m !== null && typeof m === "object" && Array.isArray(m.layers) && typeof m.summary === "function" && typeof m.countParams === "function";
}

const escapeHtml = (text: string) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function shapeText(shape: unknown): string {
  if (shape === undefined) return "?";
  return JSON.stringify(shape).replace(/null/g, "null").replace(/,/g, ", ");
}

/** The model's summary bundle; a model not built yet says so. */
export function modelBundle(model: LayersModelLike): MimeBundle {
  const kind = model.getClassName?.() ?? "LayersModel";
  const lines: string[] = [];
  try {
    model.summary(undefined, undefined, (message?: unknown) => lines.push(String(message ?? "")));
  } catch (error) {
    const text = `${kind} "${model.name}" with ${model.layers.length} layers (not built yet: ${error instanceof Error ? error.message : String(error)})`;
    return { "text/plain": text, "text/html": `<p>${escapeHtml(text)}</p>` };
  }
  const rows = model.layers.map((layer) => {
    let output = "?";
    try {
      output = shapeText(layer.outputShape);
    } catch {
      // a layer with several outputs or not connected: unknown shape
    }
    let params = 0;
    try {
      params = layer.countParams();
    } catch {
      params = 0;
    }
    return { name: layer.name, type: layer.getClassName(), output, params };
  });
  const total = model.countParams();
  const trainable = model.layers.reduce((sum, layer) => sum + (layer.trainableWeights ?? []).reduce((s, w) => s + w.shape.reduce((a, b) => a * b, 1), 0), 0);
  const count = (n: number) => n.toLocaleString("en-US");
  const body = rows.map((r) => `<tr><td>${escapeHtml(r.name)} (${escapeHtml(r.type)})</td><td>${escapeHtml(r.output)}</td><td>${count(r.params)}</td></tr>`).join("");
  const html =
    `<table><caption>${escapeHtml(kind)} "${escapeHtml(model.name)}"</caption>` +
    `<thead><tr><th>Layer (type)</th><th>Output shape</th><th>Param #</th></tr></thead><tbody>${body}</tbody>` +
    `<tfoot><tr><td colspan="3">Total params: ${count(total)} · trainable: ${count(trainable)} · non-trainable: ${count(total - trainable)}</td></tr></tfoot></table>`;
  return { "text/plain": [`${kind} "${model.name}"`, ...lines].join("\n"), "text/html": html };
}
