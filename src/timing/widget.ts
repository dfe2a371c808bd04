/**
 * The timing line under a code cell. It follows the cell model's `execution`
 * metadata and execution state, and ticks once every 100 ms while the cell runs.
 */
import type { ICodeCellModel } from "@jupyterlab/cells";
import { Widget } from "@lumino/widgets";
import { cellTiming, timingText, type CellTiming, type ExecutionMetadata } from "./timing";

const TICK_MS = 100;

/** Shows "Took 1.24 s · ran at 14:03:21" (or a live "Running for …") for one cell. */
export class CellTimingWidget extends Widget {
  constructor(private readonly _cellModel: ICodeCellModel) {
    super();
    this.addClass("tsgpu-CellTiming");
    _cellModel.metadataChanged.connect(this._update, this);
    _cellModel.stateChanged.connect(this._update, this);
    this._update();
  }

  /** The timing last shown. */
  get timing(): CellTiming {
    return this._timing;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this._stopTicking();
    super.dispose();
  }

  private _update(): void {
    if (this.isDisposed) return;
    const metadata = this._cellModel.getMetadata("execution") as ExecutionMetadata | undefined;
    this._timing = cellTiming(metadata, this._cellModel.executionState === "running");
    if (this._timing.kind === "running") this._startTicking();
    else this._stopTicking();
    this._render();
  }

  private _render(): void {
    const text = timingText(this._timing, Date.now());
    this.node.textContent = text;
    this.node.dataset.timing = this._timing.kind;
    this.node.classList.toggle("tsgpu-mod-empty", text === "");
    if (this._timing.kind === "done") {
      this.node.title = `Started ${new Date(this._timing.startedAt).toString()}\nFinished ${new Date(this._timing.endedAt).toString()}`;
    } else {
      this.node.removeAttribute("title");
    }
  }

  private _startTicking(): void {
    if (this._ticker === undefined) this._ticker = setInterval(() => this._render(), TICK_MS);
  }

  private _stopTicking(): void {
    if (this._ticker !== undefined) clearInterval(this._ticker);
    this._ticker = undefined;
  }

  private _timing: CellTiming = { kind: "none" };
  private _ticker: ReturnType<typeof setInterval> | undefined;
}
