/** The child's side of the channel to the kernel process (see child_protocol.ts). */
import { sequenceMarker, type ChildToHostBody } from "./child_protocol";

let nextSeq = 1;

/** bytesWritten of each stream right after its last marker. */
const afterLastMarker = { stdout: -1, stderr: -1 };

const written = (stream: NodeJS.WriteStream) => (stream as unknown as { bytesWritten?: number }).bytesWritten ?? Number.NaN;

/**
 * Marks a stream when something was written to it since its last marker.
 * Markers go through process.stdout/stderr themselves, not the raw fds: when a
 * stream is asynchronous (a full pipe), Node queues writes, and a marker must
 * queue behind the text written before it.
 */
function markIfWritten(name: "stdout" | "stderr", marker: string): boolean {
  const stream = process[name];
  const count = written(stream);
  if (count === afterLastMarker[name]) return false; // NaN never equals: unknown streams are always marked
  try {
    stream.write(marker);
  } catch {
    return false; // A closed stream loses its ordering guarantee, not the message.
  }
  afterLastMarker[name] = written(stream);
  return true;
}

/** Sends a message after marking the output streams written since the last one, so output before it stays before it. */
export function sendToHost(message: ChildToHostBody): void {
  const seq = nextSeq++;
  const marker = sequenceMarker(seq);
  const marked = { stdout: markIfWritten("stdout", marker), stderr: markIfWritten("stderr", marker) };
  process.send?.({ ...message, seq, marked });
}
