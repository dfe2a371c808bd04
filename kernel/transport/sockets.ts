/**
 * The kernel's five ZeroMQ sockets; the only code that touches `zeromq`.
 * It moves multipart frames and knows nothing of Jupyter messages, except
 * that iopub subscriptions are reported so the protocol layer can greet each
 * subscriber (iopub_welcome, protocol 5.5).
 */
import * as zmq from "zeromq";
import { endpoint, type ConnectionInfo } from "./connection";

export type RequestChannel = "shell" | "control" | "stdin";
export type FramesHandler = (channel: RequestChannel, frames: Buffer[]) => void;

/** Serialises sends: a zeromq.js socket allows one send in flight at a time. */
class SendQueue {
  private tail: Promise<void> = Promise.resolve();
  constructor(private readonly socket: zmq.Writable & zmq.Socket, private readonly onError: (error: Error) => void) {}

  send(frames: Buffer[]): void {
    this.tail = this.tail.then(
      () => this.socket.send(frames),
    ).catch((error: Error) => {
      if (!this.socket.closed) this.onError(error);
    });
  }

  flush(): Promise<void> {
    return this.tail;
  }
}

export interface SocketEvents {
  /** Frames that arrived on shell, control or stdin. */
  onFrames: FramesHandler;
  /** A client subscribed to iopub with this topic. */
  onSubscribe: (topic: Buffer) => void;
  onError: (error: Error) => void;
}

export class KernelSockets {
  private readonly shell = new zmq.Router();
  private readonly control = new zmq.Router();
  private readonly stdin = new zmq.Router();
  private readonly iopub = new zmq.XPublisher({ verbosity: "allSubs" });
  private readonly heartbeat = new zmq.Router();
  private readonly queues: Record<RequestChannel | "iopub", SendQueue>;

  constructor(private readonly info: ConnectionInfo, private readonly events: SocketEvents) {
    const q = (s: zmq.Writable & zmq.Socket) => new SendQueue(s, events.onError);
    this.queues = { shell: q(this.shell), control: q(this.control), stdin: q(this.stdin), iopub: q(this.iopub) };
  }

  /** Binds all sockets and starts receiving. */
  async bind(): Promise<void> {
    const i = this.info;
    await Promise.all([
      this.shell.bind(endpoint(i, i.shell_port)),
      this.control.bind(endpoint(i, i.control_port)),
      this.stdin.bind(endpoint(i, i.stdin_port)),
      this.iopub.bind(endpoint(i, i.iopub_port)),
      this.heartbeat.bind(endpoint(i, i.hb_port)),
    ]);
    this.receive("shell", this.shell);
    this.receive("control", this.control);
    this.receive("stdin", this.stdin);
    void this.echoHeartbeats();
    void this.watchSubscriptions();
  }

  send(channel: RequestChannel | "iopub", frames: Buffer[]): void {
    this.queues[channel].send(frames);
  }

  private receive(channel: RequestChannel, socket: zmq.Router): void {
    void (async () => {
      try {
        for await (const frames of socket) this.deliver(channel, frames);
      } catch (error) {
        if (!socket.closed) this.events.onError(error as Error);
      }
    })();
  }

  /** One message's handler failing must not end the channel's receive loop (the channel would go deaf). */
  private deliver(channel: RequestChannel, frames: Buffer[]): void {
    try {
      this.events.onFrames(channel, frames);
    } catch (error) {
      this.events.onError(new Error(`a message on ${channel} was dropped: its handler threw ${(error as Error)?.stack ?? String(error)}`));
    }
  }

  private async echoHeartbeats(): Promise<void> {
    try {
      for await (const frames of this.heartbeat) await this.heartbeat.send(frames);
    } catch (error) {
      if (!this.heartbeat.closed) this.events.onError(error as Error);
    }
  }

  private async watchSubscriptions(): Promise<void> {
    try {
      for await (const [frame] of this.iopub) {
        // XPUB delivers subscriptions as one frame: 0x01 (subscribe) or 0x00 (unsubscribe) + topic.
        if (frame && frame[0] === 1) this.events.onSubscribe(frame.subarray(1));
      }
    } catch (error) {
      if (!this.iopub.closed) this.events.onError(error as Error);
    }
  }

  /** Sends what is queued, then closes every socket. */
  async close(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.flush()));
    for (const socket of [this.shell, this.control, this.stdin, this.iopub, this.heartbeat]) {
      socket.linger = 200;
      socket.close();
    }
  }
}
