/**
 * Comms for cell code and libraries (spec "Custom Messages"): register targets
 * the front end can open, and open comms to the front end. State lives under a
 * Symbol.for key so every copy of this module in the process shares it.
 *
 * ```ts
 * comms.registerTarget("echo", (comm, data) => comm.onMessage((d) => comm.send(d)));
 * const comm = comms.open("my.widget", { value: 1 });
 * ```
 */
import { randomUUID } from "node:crypto";

export type CommData = Record<string, unknown>;

/** How comm traffic leaves the process; installed by the kernel's execution process. */
export interface CommTransport {
  open(commId: string, targetName: string, data: CommData, metadata: CommData): void;
  send(commId: string, data: CommData, metadata: CommData, buffers: Uint8Array[]): void;
  close(commId: string, data: CommData, metadata: CommData): void;
}

export type CommMessageHandler = (data: CommData, message: { metadata: CommData; buffers: Uint8Array[] }) => void;
export type CommTargetHandler = (comm: Comm, data: CommData) => void;

export class CommError extends Error {
  override name = "CommError";
}

interface CommState {
  transport?: CommTransport;
  targets: Map<string, CommTargetHandler>;
  open: Map<string, Comm>;
}

const STATE_KEY = Symbol.for("tsgpu.comms.state");
function state(): CommState {
  const holder = globalThis as { [STATE_KEY]?: CommState };
  return (holder[STATE_KEY] ??= { targets: new Map(), open: new Map() });
}

function transport(): CommTransport {
  const t = state().transport;
  if (!t) throw new CommError("comms need a Jupyter front end: this code is not running in a tsgpu kernel");
  return t;
}

/** One end of a comm between this kernel and the front end. */
export class Comm {
  private readonly messageHandlers: CommMessageHandler[] = [];
  private readonly closeHandlers: ((data: CommData) => void)[] = [];
  private closed = false;

  constructor(readonly id: string, readonly targetName: string) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Sends data (JSON) and optional binary buffers to the front end's end. */
  send(data: CommData = {}, options: { metadata?: CommData; buffers?: Uint8Array[] } = {}): void {
    if (this.closed) throw new CommError(`comm ${this.id} (${this.targetName}) is closed`);
    transport().send(this.id, data, options.metadata ?? {}, options.buffers ?? []);
  }

  /** Calls `handler` for each message from the front end. */
  onMessage(handler: CommMessageHandler): this {
    this.messageHandlers.push(handler);
    return this;
  }

  /** Calls `handler` once, when either side closes the comm. */
  onClose(handler: (data: CommData) => void): this {
    this.closeHandlers.push(handler);
    return this;
  }

  /** Closes the comm (idempotent). */
  close(data: CommData = {}): void {
    if (this.closed) return;
    transport().close(this.id, data, {});
    this.finish(data);
  }

  /** @internal the front end sent a message. */
  deliver(data: CommData, metadata: CommData, buffers: Uint8Array[]): void {
    for (const handler of this.messageHandlers) handler(data, { metadata, buffers });
  }

  /** @internal the comm closed (from either side). */
  finish(data: CommData): void {
    if (this.closed) return;
    this.closed = true;
    state().open.delete(this.id);
    for (const handler of this.closeHandlers) handler(data);
  }
}

/** The comms API available in cells as `comms` and from `import { comms } from "tsgpu"`. */
export const comms = {
  /** Lets the front end open comms with `targetName`; the handler gets each new comm and its opening data. */
  registerTarget(targetName: string, handler: CommTargetHandler): void {
    state().targets.set(targetName, handler);
  },
  unregisterTarget(targetName: string): void {
    state().targets.delete(targetName);
  },
  /** Opens a comm to a target the front end registered. */
  open(targetName: string, data: CommData = {}, metadata: CommData = {}): Comm {
    const comm = new Comm(randomUUID().replace(/-/g, ""), targetName);
    transport().open(comm.id, targetName, data, metadata);
    state().open.set(comm.id, comm);
    return comm;
  },
  /** Open comms, optionally only those of one target. */
  list(targetName?: string): Comm[] {
    return [...state().open.values()].filter((c) => targetName === undefined || c.targetName === targetName);
  },
};

/** Kernel side: installs the transport (execution process start-up). */
export function setCommTransport(t: CommTransport | undefined): void {
  state().transport = t;
}

/**
 * Kernel side: the front end opened a comm. Returns false (and the kernel
 * closes it, per the spec) when no target of that name is registered.
 */
export function acceptCommOpen(commId: string, targetName: string, data: CommData): boolean {
  const handler = state().targets.get(targetName);
  if (!handler) return false;
  const comm = new Comm(commId, targetName);
  state().open.set(commId, comm);
  handler(comm, data);
  return true;
}

/** Kernel side: a comm_msg arrived. Returns false for an unknown comm id. */
export function deliverCommMessage(commId: string, data: CommData, metadata: CommData, buffers: Uint8Array[]): boolean {
  const comm = state().open.get(commId);
  if (!comm) return false;
  comm.deliver(data, metadata, buffers);
  return true;
}

/** Kernel side: the front end closed a comm. */
export function deliverCommClose(commId: string, data: CommData): void {
  state().open.get(commId)?.finish(data);
}
