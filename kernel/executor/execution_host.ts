/**
 * The kernel process's handle on the execution child: starts it, turns its
 * stdout/stderr into ordered stream events (see the sequence markers in
 * child_protocol.ts), delivers its messages in order, and notices when it dies.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { EventEmitter } from "node:events";
import path from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { Readable, Writable } from "node:stream";
import { INSPECTOR_EVENT_FD, INSPECTOR_REQUEST_FD, SEQUENCE_MARKER_PREFIX, type ChildToHost, type HostToChild } from "./child_protocol";

export type StreamName = "stdout" | "stderr";

export interface ExecutionHostEvents {
  stream: [name: StreamName, text: string];
  message: [message: ChildToHost];
  prompt: [prompt: string, password: boolean];
  /** A Chrome DevTools Protocol reply or event from the debugger relay (inspector_relay.ts). */
  inspector: [message: InspectorMessage];
  exit: [code: number | null, signal: NodeJS.Signals | null];
}

/** A CDP reply (`id`) or event (`method`), as the relay writes it. */
export interface InspectorMessage {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
  method?: string;
  params?: Record<string, unknown>;
}

type Segment = { text: string } | { marker: number };

/**
 * One output pipe of the child, split into text and sequence markers. It does
 * not emit anything itself: the host drains it, so text after a marker waits
 * until the message with that sequence number has been delivered.
 */
class MarkedStream {
  private readonly decoder = new StringDecoder("utf8");
  private carry = "";
  /** Text and markers not yet handed on, in pipe order. */
  readonly pending: Segment[] = [];
  /** Highest marker read from the pipe so far. */
  reached = 0;

  push(chunk: Buffer): void {
    let text = this.carry + this.decoder.write(chunk);
    this.carry = "";
    for (;;) {
      const start = text.indexOf(SEQUENCE_MARKER_PREFIX);
      if (start < 0) break;
      const end = text.indexOf("\u0000", start + SEQUENCE_MARKER_PREFIX.length);
      if (end < 0) {
        this.carry = text.slice(start);
        text = text.slice(0, start);
        break;
      }
      if (start > 0) this.pending.push({ text: text.slice(0, start) });
      const seq = Number(text.slice(start + SEQUENCE_MARKER_PREFIX.length, end));
      this.pending.push({ marker: seq });
      this.reached = Math.max(this.reached, seq);
      text = text.slice(end + 1);
    }
    // A marker prefix may be split across chunks: hold back a trailing partial one.
    const nul = text.lastIndexOf("\u0000");
    if (nul >= 0 && SEQUENCE_MARKER_PREFIX.startsWith(text.slice(nul, nul + SEQUENCE_MARKER_PREFIX.length))) {
      this.carry = text.slice(nul) + this.carry;
      text = text.slice(0, nul);
    }
    if (text) this.pending.push({ text });
  }

  /** Hands on text up to the first marker of a message not yet delivered. */
  drain(delivered: number, emit: (text: string) => void): void {
    while (this.pending.length) {
      const head = this.pending[0]!;
      if ("text" in head) emit(head.text);
      else if (head.marker > delivered) return;
      this.pending.shift();
    }
  }

  end(): void {
    const rest = this.carry + this.decoder.end();
    this.carry = "";
    if (rest) this.pending.push({ text: rest });
    this.reached = Number.POSITIVE_INFINITY;
  }
}

export class ExecutionHost extends EventEmitter<ExecutionHostEvents> {
  private child: ChildProcess | undefined;
  private streams: Record<StreamName, MarkedStream> | undefined;
  private held: ChildToHost[] = [];
  /** Sequence number of the last message delivered. */
  private delivered = 0;
  private promptBuffer = "";
  private inspectorBuffer = "";
  private exited = false;

  /**
   * @param directory the notebook's folder, the child's working directory
   * @param setupModules absolute paths the child requires at start, before any cell (see hooks.ts)
   */
  constructor(
    private readonly directory: string,
    private readonly setupModules: readonly string[] = [],
  ) {
    super();
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return this.child !== undefined && !this.exited;
  }

  /** Starts a fresh child. */
  start(): void {
    this.exited = false;
    this.held = [];
    this.delivered = 0;
    const child = spawn(process.execPath, [path.join(__dirname, "child_main.js"), ...this.setupModules], {
      cwd: this.directory,
      stdio: ["ignore", "pipe", "pipe", "ipc", "pipe", "pipe", "pipe", "pipe"],
      serialization: "advanced",
      // Own process group: a SIGINT that Jupyter sends to the kernel's group reaches the child once, through us.
      detached: true,
      env: { ...process.env, TSGPU_KERNEL: "1" },
    });
    this.child = child;
    const streams = { stdout: new MarkedStream(), stderr: new MarkedStream() };
    this.streams = streams;
    child.stdout!.on("data", (chunk: Buffer) => {
      streams.stdout.push(chunk);
      this.release();
    });
    child.stderr!.on("data", (chunk: Buffer) => {
      streams.stderr.push(chunk);
      this.release();
    });
    (child.stdio[4] as Readable).on("data", (chunk: Buffer) => this.onPromptRequest(chunk));
    (child.stdio as unknown as Writable[])[5]!.on("error", () => {});
    this.inspectorBuffer = "";
    (child.stdio as unknown as Writable[])[INSPECTOR_REQUEST_FD]!.on("error", () => {});
    ((child.stdio as unknown as Readable[])[INSPECTOR_EVENT_FD]!).on("data", (chunk: Buffer) => this.onInspectorOutput(chunk));
    child.on("message", (message: ChildToHost) => {
      this.held.push(message);
      this.release();
    });
    child.on("exit", (code, signal) => {
      this.exited = true;
      // Let the pipes drain, then deliver what is left in order, then report.
      let closed = 0;
      const finish = () => {
        if (++closed < 2) return;
        streams.stdout.end();
        streams.stderr.end();
        this.release();
        this.emit("exit", code, signal);
      };
      if (child.stdout!.closed) finish();
      else child.stdout!.once("close", finish);
      if (child.stderr!.closed) finish();
      else child.stderr!.once("close", finish);
    });
    child.on("error", (error) => this.emit("stream", "stderr", `tsgpu: the execution process failed: ${error.message}\n`));
  }

  /**
   * Merges the three ordered channels (stdout, stderr, messages) into one
   * order: text before a message's marker goes first, the message next, text
   * after the marker last. A stream the message does not mark imposes nothing.
   */
  private release(): void {
    const streams = this.streams!;
    for (;;) {
      streams.stdout.drain(this.delivered, (text) => this.emit("stream", "stdout", text));
      streams.stderr.drain(this.delivered, (text) => this.emit("stream", "stderr", text));
      const next = this.held[0];
      if (!next) return;
      const marked = next.marked ?? { stdout: true, stderr: true };
      if ((marked.stdout && streams.stdout.reached < next.seq) || (marked.stderr && streams.stderr.reached < next.seq)) return;
      this.held.shift();
      this.delivered = next.seq;
      this.emit("message", next);
    }
  }

  private onPromptRequest(chunk: Buffer): void {
    this.promptBuffer += chunk.toString("utf8");
    for (let newline = this.promptBuffer.indexOf("\n"); newline >= 0; newline = this.promptBuffer.indexOf("\n")) {
      const line = this.promptBuffer.slice(0, newline);
      this.promptBuffer = this.promptBuffer.slice(newline + 1);
      const request = JSON.parse(line) as { prompt: string; password: boolean };
      this.emit("prompt", request.prompt, request.password);
    }
  }

  private onInspectorOutput(chunk: Buffer): void {
    this.inspectorBuffer += chunk.toString("utf8");
    for (let newline = this.inspectorBuffer.indexOf("\n"); newline >= 0; newline = this.inspectorBuffer.indexOf("\n")) {
      const line = this.inspectorBuffer.slice(0, newline);
      this.inspectorBuffer = this.inspectorBuffer.slice(newline + 1);
      try {
        this.emit("inspector", JSON.parse(line) as InspectorMessage);
      } catch {
        // A line cut by the child's death: nothing to deliver.
      }
    }
  }

  /** Writes a CDP command to the debugger relay; false when the child is gone. */
  sendInspector(command: { id: number; method: string; params?: object }): boolean {
    const pipe = (this.child?.stdio as unknown as (Writable | undefined)[] | undefined)?.[INSPECTOR_REQUEST_FD];
    if (!pipe || this.exited) return false;
    pipe.write(`${JSON.stringify(command)}\n`);
    return true;
  }

  /** Answers (or cancels, with a reason) a blocking prompt. */
  answerPrompt(answer: { value: string } | { cancelled: string }): void {
    (this.child?.stdio as unknown as (Writable | undefined)[] | undefined)?.[5]?.write(`${JSON.stringify(answer)}\n`);
  }

  send(message: HostToChild): boolean {
    if (!this.child || this.exited || !this.child.connected) return false;
    this.child.send(message);
    return true;
  }

  interrupt(): void {
    if (this.child && !this.exited) this.child.kill("SIGINT");
  }

  /** Stops the child; resolves once it has exited. */
  stop(): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
      child.once("exit", () => {
        clearTimeout(timer);
        resolve();
      });
      child.kill("SIGTERM");
    });
  }
}
