/**
 * Wires the device model to JupyterLab: follows the active notebook's kernel,
 * adds the panel to the right sidebar and the item to the status bar, and
 * applies the `tsgpu:device` settings.
 */
import type { JupyterFrontEnd, JupyterFrontEndPlugin } from "@jupyterlab/application";
import type { ISessionContext } from "@jupyterlab/apputils";
import { INotebookTracker, type NotebookPanel } from "@jupyterlab/notebook";
import { ISettingRegistry } from "@jupyterlab/settingregistry";
import { IStatusBar } from "@jupyterlab/statusbar";
import { LabIcon } from "@jupyterlab/ui-components";
import { Signal } from "@lumino/signaling";
import { IDeviceMonitor } from "../tokens";
import { deviceKernel } from "./connection";
import type { StatusItemContent } from "./format";
import { DeviceModel } from "./model";
import { DevicePanel, DeviceStatusItem } from "./widget";

const PLUGIN_ID = "tsgpu:device";
const OPEN_COMMAND = "tsgpu:open-device-panel";
const STATUS_COMMAND = "tsgpu:set-status-item";
const STATUS_LABELS: Record<StatusItemContent, string> = {
  auto: "GPU, or RAM and Tensors",
  gpu: "First GPU",
  memory: "Host Memory",
  tensors: "Live Tensors",
  none: "Hidden",
};

const chipIcon = new LabIcon({
  name: "tsgpu:chip",
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16"><g class="jp-icon3" fill="#616161">' +
    '<path d="M7 7h10v10H7z" fill-opacity="0.35"/><path d="M5 5h14v14H5zM7 7v10h10V7z"/>' +
    '<path d="M8 2h2v3H8zM14 2h2v3h-2zM8 19h2v3H8zM14 19h2v3h-2zM2 8h3v2H2zM2 14h3v2H2zM19 8h3v2h-3zM19 14h3v2h-3z"/></g></svg>',
});

/** Keeps the model on the kernel of the active notebook. */
function followActiveNotebook(tracker: INotebookTracker, model: DeviceModel): void {
  let current: ISessionContext | null = null;
  const update = () => {
    const kernel = current?.session?.kernel ?? null;
    model.setKernel(kernel && current ? deviceKernel(kernel, current.kernelDisplayName) : null);
  };
  const follow = (panel: NotebookPanel | null) => {
    current?.kernelChanged.disconnect(update);
    current?.statusChanged.disconnect(update);
    current = panel?.sessionContext ?? null;
    current?.kernelChanged.connect(update);
    // A kernel that is starting has no id-stable connection yet: re-check on status changes.
    current?.statusChanged.connect(update);
    if (panel) void panel.sessionContext.ready.then(update);
    update();
  };
  tracker.currentChanged.connect((_, panel) => follow(panel));
  follow(tracker.currentWidget);
}

/** Device panel, status item and the shared {@link IDeviceMonitor}. */
export const devicePlugin: JupyterFrontEndPlugin<DeviceModel> = {
  id: PLUGIN_ID,
  description: "Device panel and status item for the active notebook's kernel (tsgpu.device comm).",
  autoStart: true,
  provides: IDeviceMonitor,
  requires: [INotebookTracker],
  optional: [IStatusBar, ISettingRegistry],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker, statusBar: IStatusBar | null, settings: ISettingRegistry | null) => {
    const model = new DeviceModel({ isPageHidden: () => document.visibilityState === "hidden" });
    document.addEventListener("visibilitychange", () => model.refresh());

    const panel = new DevicePanel(model);
    panel.title.icon = chipIcon;
    app.shell.add(panel, "right", { rank: 900 });

    app.commands.addCommand(OPEN_COMMAND, {
      label: "Show Device Panel",
      caption: "CPU, GPUs, tensor backends and live tensors of the active notebook's kernel",
      execute: () => app.shell.activateById(panel.id),
    });

    const status = new DeviceStatusItem(model);
    status.node.addEventListener("click", () => void app.commands.execute(OPEN_COMMAND));
    if (statusBar) {
      const activeStateChanged = new Signal<DeviceStatusItem, void>(status);
      tracker.currentChanged.connect(() => activeStateChanged.emit());
      statusBar.registerStatusItem(PLUGIN_ID, {
        item: status,
        align: "left",
        rank: 5,
        isActive: () => tracker.currentWidget !== null,
        activeStateChanged,
      });
    }

    if (settings) {
      app.commands.addCommand(STATUS_COMMAND, {
        label: (args) => `Device Status Item: ${STATUS_LABELS[args.content as StatusItemContent] ?? String(args.content)}`,
        caption: "What the device status bar item shows (setting statusItem of tsgpu:device)",
        isToggled: (args) => status.content === args.content,
        execute: async (args) => {
          const content = args.content as StatusItemContent;
          if (!(content in STATUS_LABELS)) throw new Error(`${STATUS_COMMAND}: content must be one of ${Object.keys(STATUS_LABELS).join(", ")}, got ${JSON.stringify(args.content)}`);
          await settings.set(PLUGIN_ID, "statusItem", content);
        },
      });
      const apply = (values: ISettingRegistry.ISettings) => {
        model.refreshMs = values.get("refreshMs").composite as number;
        status.content = values.get("statusItem").composite as StatusItemContent;
      };
      void settings
        .load(PLUGIN_ID)
        .then((values) => {
          apply(values);
          values.changed.connect(apply);
        })
        .catch((reason: unknown) => console.error(`tsgpu: could not load the ${PLUGIN_ID} settings`, reason));
    }

    followActiveNotebook(tracker, model);
    return model;
  },
};
