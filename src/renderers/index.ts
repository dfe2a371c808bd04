/**
 * Renderers for tsgpu's MIME types (kernel/runtime/mime_types.ts): the live
 * training chart and the backend comparison. Updates through display ids reach
 * the same renderer again through `renderModel`.
 */
import type { IRenderMime } from "@jupyterlab/rendermime-interfaces";
import { Widget } from "@lumino/widgets";
import { COMPARISON_MIME, TRAINING_MIME } from "../../kernel/runtime/mime_types";
import { checkComparisonData, comparisonHtml } from "./comparison";
import { checkTrainingData, trainingHtml } from "./training";

/** Renders one tsgpu payload to HTML; errors show as a message in the output. */
class PayloadRenderer extends Widget implements IRenderMime.IRenderer {
  constructor(private readonly _mimeType: string, private readonly _toHtml: (data: unknown) => string) {
    super();
    this.addClass("tsgpu-Renderer");
  }

  async renderModel(model: IRenderMime.IMimeModel): Promise<void> {
    const data = model.data[this._mimeType];
    try {
      // Every string inside is escaped by the builders, so this HTML is safe.
      this.node.innerHTML = this._toHtml(data);
      this.node.dataset.error = "";
    } catch (error) {
      this.node.replaceChildren();
      const message = document.createElement("pre");
      message.className = "tsgpu-Renderer-error";
      message.textContent = `Cannot render ${this._mimeType}: ${(error as Error).message}`;
      this.node.appendChild(message);
      this.node.dataset.error = "true";
    }
  }
}

/**
 * Rank below text/html's 50: the kernel sends text/html (and image/png) in the same bundle as
 * a fallback for viewers without this extension, and JupyterLab renders the lowest rank.
 */
const RANK = 10;

/** The render extension that shows `mimeType` payloads as `toHtml` makes them. */
function rendererExtension(feature: string, description: string, mimeType: string, toHtml: (data: unknown) => string): IRenderMime.IExtension {
  return {
    id: `tsgpu:${feature}`,
    description,
    rendererFactory: { safe: true, mimeTypes: [mimeType], defaultRank: RANK, createRenderer: () => new PayloadRenderer(mimeType, toHtml) },
    rank: RANK,
    dataType: "json",
  };
}

/** The training chart renderer. */
export const trainingExtension = rendererExtension("training-renderer", "Live training chart for application/vnd.tsgpu.training+json.", TRAINING_MIME, (data) =>
  trainingHtml(checkTrainingData(data)),
);

/** The backend comparison renderer. */
export const comparisonExtension = rendererExtension("comparison-renderer", "Table and bar chart for application/vnd.tsgpu.comparison+json.", COMPARISON_MIME, (data) =>
  comparisonHtml(checkComparisonData(data)),
);

export default [trainingExtension, comparisonExtension];
