/** The child's side of the channel to the kernel process (see child_protocol.ts). */
import { sequenceMarker, type ChildToHostBody } from "./child_protocol";

let nextSeq = 1;

/**
 * Markers go through process.stdout/stderr themselves, not the raw fds: when a
 * stream is asynchronous (a full pipe), Node queues writes, and a marker must
 * queue behind the text written before it.
 */
function writeMarker(stream: NodeJS.WriteStream, marker: string): void {
  try {
    stream.write(marker);
  } catch {
    // A closed stream loses its ordering guarantee, not the message.
  }
}

/** Sends a message after marking both output streams, so output before it stays before it. */
export function sendToHost(message: ChildToHostBody): void {
  const seq = nextSeq++;
  const marker = sequenceMarker(seq);
  writeMarker(process.stdout, marker);
  writeMarker(process.stderr, marker);
  process.send?.({ ...message, seq });
}
