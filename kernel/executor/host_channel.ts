/** The child's side of the channel to the kernel process (see child_protocol.ts). */
import { writeSync } from "node:fs";
import { sequenceMarker, type ChildToHostBody } from "./child_protocol";

let nextSeq = 1;

function writeMarker(fd: number, marker: string): void {
  try {
    writeSync(fd, marker);
  } catch {
    // A closed stream loses its ordering guarantee, not the message.
  }
}

/** Sends a message after marking both output streams, so output before it stays before it. */
export function sendToHost(message: ChildToHostBody): void {
  const seq = nextSeq++;
  const marker = sequenceMarker(seq);
  writeMarker(1, marker);
  writeMarker(2, marker);
  process.send?.({ ...message, seq });
}
