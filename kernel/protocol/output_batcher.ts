/**
 * Batches stream text into few `stream` messages (a flood of small writes
 * becomes one message per few milliseconds) and caps what one cell can send,
 * so a cell printing hundreds of megabytes neither floods the front end nor the
 * kernel: past the cap text is dropped, counted, and a note says how much.
 */
import type { Message } from "./messages";

export type StreamName = "stdout" | "stderr";

/** Bytes of stream text one execution may send before the rest is dropped. */
export const DEFAULT_STREAM_LIMIT_BYTES = 4 * 1024 * 1024;
const FLUSH_DELAY_MS = 5;
const MAX_MESSAGE_BYTES = 256 * 1024;

export class OutputBatcher {
  private parent: Message | undefined;
  /** Text in arrival order; consecutive chunks of one stream are merged. */
  private buffered: { name: StreamName; text: string }[] = [];
  private bufferedBytes = 0;
  private sentBytes = 0;
  private droppedBytes: Record<StreamName, number> = { stdout: 0, stderr: 0 };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly publish: (parent: Message | undefined, name: StreamName, text: string) => void,
    private readonly limitBytes = Number(process.env.TSGPU_MAX_OUTPUT_BYTES) || DEFAULT_STREAM_LIMIT_BYTES,
  ) {}

  /** Starts counting for a new execution (flushes what the previous one left). */
  startExecution(parent: Message): void {
    this.flush();
    this.parent = parent;
    this.sentBytes = 0;
  }

  add(parent: Message | undefined, name: StreamName, text: string): void {
    if (parent !== this.parent) {
      this.flush();
      this.parent = parent;
    }
    const bytes = Buffer.byteLength(text);
    if (this.sentBytes + this.bufferedBytes + bytes > this.limitBytes) {
      this.droppedBytes[name] += bytes;
      return;
    }
    const last = this.buffered[this.buffered.length - 1];
    if (last?.name === name) last.text += text;
    else this.buffered.push({ name, text });
    this.bufferedBytes += bytes;
    if (this.bufferedBytes >= MAX_MESSAGE_BYTES) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), FLUSH_DELAY_MS);
  }

  /** Sends what is buffered now (before any message that must follow it). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    for (const { name, text } of this.buffered.splice(0)) this.publish(this.parent, name, text);
    this.sentBytes += this.bufferedBytes;
    this.bufferedBytes = 0;
  }

  /** Flushes and, when text was dropped, says so on stderr. Call at the end of an execution. */
  finishExecution(): void {
    this.flush();
    for (const name of ["stdout", "stderr"] as const) {
      const dropped = this.droppedBytes[name];
      if (!dropped) continue;
      this.droppedBytes[name] = 0;
      const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
      this.publish(this.parent, name, `\n[tsgpu] output truncated: ${mb(dropped)} more of ${name} was not shown: one cell may print at most ${mb(this.limitBytes)} (set TSGPU_MAX_OUTPUT_BYTES to change it, or write large output to a file).\n`);
    }
  }
}
