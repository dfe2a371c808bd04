/**
 * `prompt()` must block like the browser's, but the reply arrives as a message.
 * The child writes the request as a JSON line on fd 4 and reads the answer from
 * fd 5 with synchronous reads (the host writes it there); a non-blocking pipe
 * is polled with short sleeps, which also lets an interrupt stop the wait.
 */
import { readSync, writeSync } from "node:fs";
import { PROMPT_REPLY_FD, PROMPT_REQUEST_FD } from "./child_protocol";

const sleeper = new Int32Array(new SharedArrayBuffer(4));
let pending = "";

export class PromptCancelledError extends Error {
  override name = "PromptCancelledError";
}

/** Asks the host for a line of input and blocks until it answers. */
export function blockingPrompt(prompt: string, password: boolean): string {
  writeSync(PROMPT_REQUEST_FD, `${JSON.stringify({ prompt, password })}\n`);
  const buffer = Buffer.alloc(65536);
  for (;;) {
    const newline = pending.indexOf("\n");
    if (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      const reply = JSON.parse(line) as { value?: string; cancelled?: string };
      if (reply.cancelled !== undefined) throw new PromptCancelledError(reply.cancelled);
      return reply.value ?? "";
    }
    let count = 0;
    try {
      count = readSync(PROMPT_REPLY_FD, buffer, 0, buffer.length, null);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EAGAIN") throw error;
      Atomics.wait(sleeper, 0, 0, 5);
      continue;
    }
    if (count === 0) throw new PromptCancelledError("the kernel closed the input channel");
    pending += buffer.toString("utf8", 0, count);
  }
}
