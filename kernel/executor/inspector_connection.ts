/**
 * The kernel process's side of the debugger relay (inspector_relay.ts): a
 * Chrome DevTools Protocol client over the execution child's fds 6 and 7. It
 * starts the relay on first use in each child, and tells its listener when the
 * child (and with it every script, breakpoint and pause) is gone.
 */
import type { ExecutionHost, InspectorMessage } from "./execution_host";

/** One cell about to run, as the debugger needs it to place breakpoints. */
export interface CellScript {
  /** The execution count; the script's URL is `cell[N]`. */
  cellNumber: number;
  /** The cell as typed. */
  code: string;
  /** The generated body the child runs (line 1 of the body is CDP line 0). */
  body: string;
  /** The transpile's source map (JSON), body -> cell lines; empty when there is none. */
  sourceMap: string;
}

/** What the debug adapter hears from the cells' process. */
export interface InspectorListener {
  /** A CDP event (Debugger.paused, Debugger.resumed, Debugger.scriptParsed...). */
  event(method: string, params: Record<string, unknown>): void;
  /** A cell is about to run; awaited, so breakpoints in it are placed before its first line. */
  beforeRun(cell: CellScript): Promise<void>;
  /** The cells' process ended: its scripts, breakpoints and pause are gone. */
  reset(): void;
}

/** The V8 inspector of the cells' process. */
export interface Inspector {
  /** Starts the relay in the current process (once per process); resolves when it answers. */
  attach(): Promise<void>;
  /** Sends a CDP command; rejects with the inspector's message, or when the process ends. */
  post<T = Record<string, unknown>>(method: string, params?: object): Promise<T>;
  /** Counts the cells' processes: a new number means a fresh process to attach to. */
  readonly generation: number;
  /** Whether the relay of the current process is up. */
  readonly attached: boolean;
  listen(listener: InspectorListener): void;
}

/** Raised for a CDP command that failed or could not be delivered. */
export class InspectorError extends Error {
  override name = "InspectorError";
}

export class InspectorConnection implements Inspector {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (result: never) => void; reject: (error: Error) => void }>();
  private relayReady: Promise<void> | undefined;
  private markReady: (() => void) | undefined;
  private failReady: ((error: Error) => void) | undefined;
  private listener: InspectorListener | undefined;
  generation = 0;
  attached = false;

  constructor(private readonly host: ExecutionHost) {
    host.on("inspector", (message) => this.onMessage(message));
  }

  listen(listener: InspectorListener): void {
    this.listener = listener;
  }

  /** The execution child was (re)started: forget the old one's relay and commands. */
  childStarted(): void {
    this.generation++;
    this.attached = false;
    this.relayReady = undefined;
    this.failReady?.(new InspectorError("the execution process ended before the debugger started"));
    this.failReady = undefined;
    for (const { reject } of this.pending.values()) reject(new InspectorError("the execution process ended"));
    this.pending.clear();
    if (this.generation > 1) this.listener?.reset();
  }

  attach(): Promise<void> {
    if (!this.relayReady) {
      this.relayReady = new Promise<void>((resolve, reject) => {
        this.markReady = resolve;
        this.failReady = reject;
      });
      this.relayReady.catch(() => {});
      if (!this.host.send({ type: "inspector_start" })) return Promise.reject(new InspectorError("the execution process is not running"));
    }
    return this.relayReady;
  }

  post<T>(method: string, params: object = {}): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (result: never) => void, reject });
      if (!this.attached || !this.host.sendInspector({ id, method, params })) {
        this.pending.delete(id);
        reject(new InspectorError(`the debugger is not attached to the execution process (${method})`));
      }
    });
  }

  /** Called by the executor before each run (see InspectorListener.beforeRun). */
  beforeRun(cell: CellScript): Promise<void> {
    return this.listener?.beforeRun(cell) ?? Promise.resolve();
  }

  private onMessage(message: InspectorMessage): void {
    if (message.id !== undefined) {
      const waiter = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.error) waiter?.reject(new InspectorError(message.error.message));
      else waiter?.resolve((message.result ?? {}) as never);
      return;
    }
    if (message.method === "tsgpu.relayReady") {
      this.attached = true;
      this.markReady?.();
      this.failReady = undefined;
      return;
    }
    if (message.method) this.listener?.event(message.method, message.params ?? {});
  }
}
