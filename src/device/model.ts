/**
 * The device model: which kernel the panel and status item follow, the comm to
 * its `tsgpu.device` target, polling while someone is looking, and the latest
 * snapshot. Views only render {@link DeviceModel.state}.
 *
 * The model talks to the kernel through {@link DeviceKernel}, a two-method view
 * of a kernel connection (see `connection.ts` for the adapter over
 * `@jupyterlab/services`), so it runs in plain Node for unit tests.
 */
import { Signal, type ISignal } from "@lumino/signaling";
import {
  DEVICE_COMM_TARGET,
  DEVICE_SNAPSHOT_VERSION,
  type DeviceSnapshot,
  type SnapshotRequest,
} from "../../kernel/runtime/device_snapshot";

/** The open comm to a kernel's device target. */
export interface DeviceChannel {
  send(data: SnapshotRequest): void;
  close(): void;
}

/** Callbacks for messages and the close of a {@link DeviceChannel}. */
export interface DeviceChannelHandlers {
  onMessage(data: unknown): void;
  /** The kernel closed the comm (ipykernel does this at once for an unknown target). */
  onClose(): void;
}

/** What the model needs of a kernel connection. */
export interface DeviceKernel {
  /** Kernel id, to tell kernels apart. */
  readonly id: string;
  /** Kernelspec display name, for messages ("Python 3 (ipykernel)"). */
  readonly displayName: string;
  /** Opens a comm to `targetName`; throws or rejects when the kernel cannot. */
  openComm(targetName: string, handlers: DeviceChannelHandlers): DeviceChannel;
}

/** How long a stale view waits for a late reply before reopening the comm. */
const STALE_REOPEN_MS = 30_000;

/** What the views show. */
export type DeviceState =
  | { kind: "no-kernel" }
  | { kind: "connecting"; kernelName: string }
  | { kind: "unavailable"; kernelName: string; reason: string }
  | { kind: "ready"; kernelName: string; snapshot: DeviceSnapshot; receivedAt: number; stale: boolean };

/** Options of {@link DeviceModel}. */
export interface DeviceModelOptions {
  /** Milliseconds between snapshot requests while visible (default 1000, minimum 250). */
  refreshMs?: number;
  /** Milliseconds to wait for a reply before calling the kernel silent (default 5000). */
  replyTimeoutMs?: number;
  /** True when the page is hidden (browser tab in the background): polling pauses. */
  isPageHidden?: () => boolean;
  /** Clock, for tests. */
  now?: () => number;
}

/** The "no device information" reason for a kernel whose comm target is missing. */
export function noDeviceReason(kernelName: string): string {
  return `No device information: the ${kernelName} kernel has no "${DEVICE_COMM_TARGET}" comm target (only tsgpu kernels report devices).`;
}

/**
 * Checks that a message from the kernel is a snapshot reply of the version
 * this front end understands; returns the snapshot or an error string.
 */
export function parseSnapshotReply(data: unknown): DeviceSnapshot | string {
  if (data === null || typeof data !== "object") return "the kernel sent a non-object on the device comm";
  const message = data as { type?: unknown; snapshot?: unknown };
  if (message.type !== "snapshot") return `unexpected device message type ${JSON.stringify(message.type)}`;
  const snapshot = message.snapshot as Partial<DeviceSnapshot> | undefined;
  if (snapshot === null || typeof snapshot !== "object") return "the device reply has no snapshot";
  if (snapshot.version !== DEVICE_SNAPSHOT_VERSION) {
    return `the kernel sent device snapshot version ${String(snapshot.version)}, this extension reads version ${DEVICE_SNAPSHOT_VERSION}: update tsgpu on both sides`;
  }
  if (typeof snapshot.cpu !== "object" || !Array.isArray(snapshot.gpus) || !Array.isArray(snapshot.backends)) {
    return "the device snapshot lacks cpu, gpus or backends";
  }
  return snapshot as DeviceSnapshot;
}

/** Polls the active kernel's device target while at least one view is visible. */
export class DeviceModel {
  constructor(options: DeviceModelOptions = {}) {
    this._refreshMs = Math.max(250, options.refreshMs ?? 1000);
    this._replyTimeoutMs = options.replyTimeoutMs ?? 5000;
    this._isPageHidden = options.isPageHidden ?? (() => false);
    this._now = options.now ?? Date.now;
  }

  /** The current state. */
  get state(): DeviceState {
    return this._state;
  }

  /** Emitted after every state change. */
  get stateChanged(): ISignal<this, DeviceState> {
    return this._stateChanged;
  }

  /** Milliseconds between requests while visible. */
  get refreshMs(): number {
    return this._refreshMs;
  }
  set refreshMs(value: number) {
    if (!Number.isFinite(value) || value <= 0) throw new RangeError(`refresh interval must be a positive number of milliseconds, got ${value}`);
    this._refreshMs = Math.max(250, value);
    this._schedule(0);
  }

  /** True while polling (a view is visible and the page is shown). */
  get isPolling(): boolean {
    return this._timer !== undefined || this._pending;
  }

  /**
   * Follows another kernel (or none). The comm to the previous kernel is
   * closed; the new one is opened on the next poll.
   */
  setKernel(kernel: DeviceKernel | null): void {
    if (kernel?.id === this._kernel?.id) return;
    this._closeChannel();
    this._kernel = kernel;
    this._setState(kernel ? { kind: "connecting", kernelName: kernel.displayName } : { kind: "no-kernel" });
    this._schedule(0);
  }

  /** Declares a view `key` visible or hidden; the model polls while any is visible. */
  setVisible(key: string, visible: boolean): void {
    if (visible) this._visible.add(key);
    else this._visible.delete(key);
    this._schedule(0);
  }

  /** Asks for a snapshot now (when a view becomes visible, or on demand). */
  refresh(): void {
    this._schedule(0);
  }

  /** Stops polling and closes the comm. Idempotent. */
  dispose(): void {
    if (this._disposed) return;
    this._disposed = true;
    this._clearTimer();
    this._closeChannel();
    Signal.clearData(this);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  private _wanted(): boolean {
    return !this._disposed && this._kernel !== null && this._visible.size > 0 && !this._isPageHidden() && this._state.kind !== "unavailable";
  }

  private _schedule(delayMs: number): void {
    this._clearTimer();
    if (!this._wanted() || this._pending) return;
    this._timer = setTimeout(() => {
      this._timer = undefined;
      this._poll();
    }, delayMs);
  }

  private _clearTimer(): void {
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = undefined;
  }

  private _poll(): void {
    const kernel = this._kernel;
    if (!this._wanted() || kernel === null) return;
    if (this._channel === null) {
      const generation = ++this._generation;
      try {
        this._channel = kernel.openComm(DEVICE_COMM_TARGET, {
          onMessage: (data) => generation === this._generation && this._onMessage(kernel, data),
          onClose: () => generation === this._generation && this._onClosed(kernel),
        });
      } catch (error) {
        this._setState({ kind: "unavailable", kernelName: kernel.displayName, reason: `Could not open the device comm: ${(error as Error).message}` });
        return;
      }
    }
    try {
      this._channel.send({ type: "snapshot_request" });
    } catch {
      // The comm died under us (kernel restart disposes comms): open a fresh one next time.
      this._closeChannel();
      this._setState({ kind: "connecting", kernelName: kernel.displayName });
      this._schedule(this._refreshMs);
      return;
    }
    this._pending = true;
    this._requestedAt = this._now();
    this._waitForReply(kernel, this._replyTimeoutMs);
  }

  private _waitForReply(kernel: DeviceKernel, timeoutMs: number): void {
    const generation = this._generation;
    if (this._replyTimer !== undefined) clearTimeout(this._replyTimer);
    this._replyTimer = setTimeout(() => {
      if (generation !== this._generation || !this._pending) return;
      this._onTimeout(kernel);
    }, timeoutMs);
  }

  private _onMessage(kernel: DeviceKernel, data: unknown): void {
    const parsed = parseSnapshotReply(data);
    this._pending = false;
    if (this._replyTimer !== undefined) clearTimeout(this._replyTimer);
    if (typeof parsed === "string") {
      this._setState({ kind: "unavailable", kernelName: kernel.displayName, reason: `Device information unreadable: ${parsed}.` });
      this._closeChannel();
      return;
    }
    this._everAnswered = true;
    this._setState({ kind: "ready", kernelName: kernel.displayName, snapshot: parsed, receivedAt: this._now(), stale: false });
    const elapsed = this._now() - this._requestedAt;
    this._schedule(Math.max(0, this._refreshMs - elapsed));
  }

  private _onClosed(kernel: DeviceKernel): void {
    this._pending = false;
    this._channel = null;
    this._generation++;
    if (this._everAnswered) {
      // The kernel closed a working comm (restart): reopen on the next poll.
      this._everAnswered = false;
      this._setState({ kind: "connecting", kernelName: kernel.displayName });
      this._schedule(this._refreshMs);
    } else {
      this._setState({ kind: "unavailable", kernelName: kernel.displayName, reason: noDeviceReason(kernel.displayName) });
    }
  }

  private _onTimeout(kernel: DeviceKernel): void {
    const state = this._state;
    if (state.kind === "ready" && !state.stale) {
      // A busy kernel may answer late (shell queue behind a long cell): keep the last numbers, marked
      // stale, and keep waiting for that reply (no second request) up to STALE_REOPEN_MS.
      this._setState({ ...state, stale: true });
      this._waitForReply(kernel, STALE_REOPEN_MS);
      return;
    }
    if (state.kind === "ready") {
      // Still nothing: the comm may be gone (kernel restarted): start over with a new one.
      this._closeChannel();
      this._setState({ kind: "connecting", kernelName: kernel.displayName });
      this._schedule(0);
      return;
    }
    this._closeChannel();
    this._setState({
      kind: "unavailable",
      kernelName: kernel.displayName,
      reason: `No device information: the ${kernel.displayName} kernel did not answer on "${DEVICE_COMM_TARGET}" within ${this._replyTimeoutMs / 1000} s.`,
    });
  }

  private _closeChannel(): void {
    this._generation++;
    this._pending = false;
    this._everAnswered = false;
    if (this._replyTimer !== undefined) clearTimeout(this._replyTimer);
    this._replyTimer = undefined;
    const channel = this._channel;
    this._channel = null;
    if (channel) {
      try {
        channel.close();
      } catch {
        // The kernel is gone; nothing to close.
      }
    }
  }

  private _setState(state: DeviceState): void {
    this._state = state;
    this._stateChanged.emit(state);
  }

  private _state: DeviceState = { kind: "no-kernel" };
  private _stateChanged = new Signal<this, DeviceState>(this);
  private _kernel: DeviceKernel | null = null;
  private _channel: DeviceChannel | null = null;
  private _visible = new Set<string>();
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _replyTimer: ReturnType<typeof setTimeout> | undefined;
  private _pending = false;
  private _everAnswered = false;
  private _requestedAt = 0;
  private _generation = 0;
  private _refreshMs: number;
  private _replyTimeoutMs: number;
  private _isPageHidden: () => boolean;
  private _now: () => number;
  private _disposed = false;
}
