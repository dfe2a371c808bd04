/**
 * Views of the device model: the right-sidebar panel and the status bar item.
 * They render {@link DeviceModel.state} and tell the model when they are
 * visible; all kernel traffic stays in the model.
 */
import { Widget } from "@lumino/widgets";
import type { Message } from "@lumino/messaging";
import type { DeviceSnapshot } from "../../kernel/runtime/device_snapshot";
import { type DeviceRow, gpuRows, hostRows, statusText, tensorRows, type StatusItemContent } from "./format";
import type { DeviceModel, DeviceState } from "./model";

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function section(title: string, rows: DeviceRow[], name: string): HTMLElement {
  const node = element("section", "tsgpu-Device-section");
  node.dataset.section = name;
  node.appendChild(element("h3", "tsgpu-Device-sectionTitle", title));
  const table = element("table", "tsgpu-Device-table");
  for (const row of rows) {
    const tr = element("tr", "tsgpu-Device-row");
    tr.dataset.label = row.label;
    tr.appendChild(element("th", "tsgpu-Device-label", row.label));
    tr.appendChild(element("td", "tsgpu-Device-value", row.value));
    table.appendChild(tr);
  }
  node.appendChild(table);
  return node;
}

/** The DOM for a snapshot: host, GPUs, backends, tensors. */
export function renderSnapshot(snapshot: DeviceSnapshot): HTMLElement {
  const root = element("div", "tsgpu-Device-snapshot");
  root.appendChild(section(`Host ${snapshot.hostname}`, hostRows(snapshot), "host"));
  if (snapshot.gpus.length === 0) {
    const gpus = element("section", "tsgpu-Device-section");
    gpus.dataset.section = "gpus";
    gpus.appendChild(element("h3", "tsgpu-Device-sectionTitle", "GPUs"));
    gpus.appendChild(element("p", "tsgpu-Device-note", snapshot.gpuNote ?? "No GPU found."));
    root.appendChild(gpus);
  }
  for (const gpu of snapshot.gpus) root.appendChild(section(`GPU ${gpu.index}: ${gpu.name}`, gpuRows(gpu), `gpu-${gpu.index}`));
  const backends = element("section", "tsgpu-Device-section");
  backends.dataset.section = "backends";
  backends.appendChild(element("h3", "tsgpu-Device-sectionTitle", "Tensor backends"));
  const list = element("ul", "tsgpu-Device-backends");
  for (const backend of snapshot.backends) {
    const unchecked = backend.checked === false && !backend.active;
    const item = element("li", `tsgpu-Device-backend ${backend.available ? "tsgpu-mod-available" : unchecked ? "tsgpu-mod-unchecked" : "tsgpu-mod-unavailable"}${backend.active ? " tsgpu-mod-active" : ""}`);
    item.dataset.backend = backend.name;
    item.appendChild(element("span", "tsgpu-Device-backendName", backend.name));
    item.appendChild(element("span", "tsgpu-Device-backendStatus", backend.active ? "in use" : backend.available ? "available" : unchecked ? "not checked yet" : "unavailable"));
    item.appendChild(element("span", "tsgpu-Device-backendDetail", backend.detail));
    list.appendChild(item);
  }
  backends.appendChild(list);
  root.appendChild(backends);
  const tensors = tensorRows(snapshot);
  if (tensors.length > 0) root.appendChild(section("Tensors", tensors, "tensors"));
  return root;
}

/** The right-sidebar device panel. */
export class DevicePanel extends Widget {
  constructor(private readonly _model: DeviceModel) {
    super();
    this.id = "tsgpu-device-panel";
    this.addClass("tsgpu-DevicePanel");
    this.title.caption = "Devices (tsgpu)";
    this._header = element("div", "tsgpu-DevicePanel-header");
    this._header.appendChild(element("h2", "tsgpu-DevicePanel-title", "Devices"));
    this._status = element("span", "tsgpu-DevicePanel-status");
    this._header.appendChild(this._status);
    this._body = element("div", "tsgpu-DevicePanel-body");
    this.node.append(this._header, this._body);
    _model.stateChanged.connect(this._render, this);
    this._render();
  }

  protected override onAfterShow(_msg: Message): void {
    this._model.setVisible(this.id, true);
  }

  protected override onAfterHide(_msg: Message): void {
    this._model.setVisible(this.id, false);
  }

  protected override onAfterAttach(_msg: Message): void {
    this._model.setVisible(this.id, this.isVisible);
  }

  protected override onBeforeDetach(_msg: Message): void {
    this._model.setVisible(this.id, false);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this._model.setVisible(this.id, false);
    this._model.stateChanged.disconnect(this._render, this);
    super.dispose();
  }

  private _render(): void {
    const state = this._model.state;
    this.node.dataset.state = state.kind;
    this._status.textContent = describeState(state);
    this._body.replaceChildren();
    switch (state.kind) {
      case "no-kernel":
        this._body.appendChild(element("p", "tsgpu-Device-note", "Open a notebook to see its kernel's devices."));
        break;
      case "connecting":
        this._body.appendChild(element("p", "tsgpu-Device-note", `Asking the ${state.kernelName} kernel…`));
        break;
      case "unavailable":
        this._body.appendChild(element("p", "tsgpu-Device-note tsgpu-mod-unavailable", state.reason));
        break;
      case "ready":
        this._body.appendChild(renderSnapshot(state.snapshot));
        break;
    }
  }

  private _header: HTMLElement;
  private _status: HTMLElement;
  private _body: HTMLElement;
}

function describeState(state: DeviceState): string {
  switch (state.kind) {
    case "no-kernel":
      return "no kernel";
    case "connecting":
      return state.kernelName;
    case "unavailable":
      return `${state.kernelName}: no device information`;
    case "ready":
      return `${state.kernelName}${state.stale ? " (busy, last values)" : ""} · ${new Date(state.receivedAt).toLocaleTimeString()}`;
  }
}

/** The status bar item: one short line from the latest snapshot. */
export class DeviceStatusItem extends Widget {
  constructor(private readonly _model: DeviceModel) {
    super();
    this.id = "tsgpu-device-status";
    this.addClass("tsgpu-DeviceStatus");
    _model.stateChanged.connect(this._render, this);
    this._render();
  }

  /** What the item shows (setting `statusItem`). */
  get content(): StatusItemContent {
    return this._content;
  }
  set content(value: StatusItemContent) {
    this._content = value;
    this._updateVisibility();
    this._render();
  }

  protected override onAfterAttach(_msg: Message): void {
    this._attached = true;
    this._updateVisibility();
  }

  // The status bar hides items that are not active (no notebook in front).
  protected override onAfterShow(_msg: Message): void {
    this._updateVisibility();
  }

  protected override onAfterHide(_msg: Message): void {
    this._updateVisibility();
  }

  protected override onBeforeDetach(_msg: Message): void {
    this._attached = false;
    this._updateVisibility();
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this._model.setVisible(this.id, false);
    this._model.stateChanged.disconnect(this._render, this);
    super.dispose();
  }

  private _updateVisibility(): void {
    this._model.setVisible(this.id, this._attached && !this.isHidden && this._content !== "none");
  }

  private _render(): void {
    const state = this._model.state;
    this.node.dataset.state = state.kind;
    let text = "";
    if (this._content !== "none") {
      if (state.kind === "ready") text = statusText(state.snapshot, this._content);
      else if (state.kind === "unavailable") text = "no device information";
      else if (state.kind === "connecting") text = "devices…";
    }
    this.node.textContent = text;
    this.node.title = state.kind === "unavailable" ? state.reason : "Devices of the active notebook's kernel (tsgpu). Click for the device panel.";
  }

  private _content: StatusItemContent = "auto";
  private _attached = false;
}
