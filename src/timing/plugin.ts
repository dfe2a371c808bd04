/**
 * Cell timing for any kernel: turns on the notebook setting `recordTiming`
 * (JupyterLab then stores timestamps in each cell's `execution` metadata) and
 * puts a {@link CellTimingWidget} under the input of every code cell.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import type { Cell, ICodeCellModel } from "@jupyterlab/cells";
import { INotebookTracker, type NotebookPanel } from "@jupyterlab/notebook";
import { ISettingRegistry } from "@jupyterlab/settingregistry";
import type { PanelLayout } from "@lumino/widgets";
import { CellTimingWidget } from "./widget";

const PLUGIN_ID = "tsgpu:timing";
const NOTEBOOK_SETTINGS = "@jupyterlab/notebook-extension:tracker";
const timingWidgets = new WeakMap<Cell, CellTimingWidget>();

function attach(cell: Cell): void {
  if (cell.model.type !== "code" || timingWidgets.has(cell) || cell.isDisposed) return;
  const layout = cell.layout as PanelLayout | null;
  const inputWrapper = cell.inputArea?.parent;
  if (!layout || !inputWrapper) return;
  const index = layout.widgets.indexOf(inputWrapper);
  if (index < 0) return;
  const widget = new CellTimingWidget(cell.model as ICodeCellModel);
  layout.insertWidget(index + 1, widget);
  timingWidgets.set(cell, widget);
}

function detachAll(panel: NotebookPanel): void {
  for (const cell of panel.content.widgets) {
    timingWidgets.get(cell)?.dispose();
    timingWidgets.delete(cell);
  }
}

/** Cell timing under every code cell, for any kernel. */
export const timingPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description: "Shows under each executed cell how long it took and when it ran, live while it runs.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry],
  activate: (_app: JupyterFrontEnd, tracker: INotebookTracker, settings: ISettingRegistry | null) => {
    let enabled = true;
    const attachAll = (panel: NotebookPanel) => {
      if (enabled) panel.content.widgets.forEach(attach);
      else detachAll(panel);
    };
    const watch = (panel: NotebookPanel) => {
      const refresh = () => setTimeout(() => attachAll(panel), 0);
      panel.content.modelContentChanged.connect(refresh);
      // With windowingMode "full", cells get their input only when first scrolled into view.
      panel.content.cellInViewportChanged.connect((_, cell) => enabled && attach(cell));
      void panel.context.ready.then(refresh);
      refresh();
    };
    tracker.widgetAdded.connect((_, panel) => watch(panel));
    tracker.forEach(watch);

    if (!settings) return;
    const recordTiming = async () => {
      const notebook = await settings.load(NOTEBOOK_SETTINGS);
      if (enabled && notebook.get("recordTiming").composite !== true) await notebook.set("recordTiming", true);
    };
    void settings
      .load(PLUGIN_ID)
      .then((values) => {
        const apply = () => {
          enabled = values.get("enabled").composite as boolean;
          tracker.forEach(attachAll);
          return recordTiming();
        };
        values.changed.connect(() => void apply());
        return apply();
      })
      .catch((reason: unknown) => console.error(`tsgpu: could not turn on cell timing (${NOTEBOOK_SETTINGS} recordTiming)`, reason));
  },
};
