/** The child's side of the channel to the kernel process (see child_protocol.ts). */
import { sequenceMarker, type ChildToHostBody } from "./child_protocol";

let nextSeq = 1;

/** bytesWritten of each stream right after its last marker. */
const afterLastMarker = { stdout: -1, stderr: -1 };

const written = (stream: NodeJS.WriteStream) => (stream as unknown as { bytesWritten?: number }).bytesWritten ?? Number.NaN;

/**
 * Marks a stream (when `always`, or when something was written to it since its last marker).
 * Markers go through process.stdout/stderr themselves, not the raw fds: when a
 * stream is asynchronous (a full pipe), Node queues writes, and a marker must
 * queue behind the text written before it.
 */
function markIfWritten(name: "stdout" | "stderr", marker: string, always: boolean): boolean {
  const stream = process[name];
  const count = written(stream);
  if (!always && count === afterLastMarker[name]) return false; // NaN never equals: unknown streams are always marked
  try {
    stream.write(marker);
  } catch {
    return false; // A closed stream loses its ordering guarantee, not the message.
  }
  afterLastMarker[name] = written(stream);
  return true;
}

/**
 * Sends a message after marking the output streams, so output before it stays
 * before it and output after it stays after it. A cell's result is the one
 * message marked only on streams written since their last marker: what a
 * stream prints after a result is late output, so it needs no place in order,
 * and a cell that printed nothing (the common quick cell) costs no marker.
 */
export function sendToHost(message: ChildToHostBody): void {
  const seq = nextSeq++;
  const marker = sequenceMarker(seq);
  const always = message.type !== "result";
  const marked = { stdout: markIfWritten("stdout", marker, always), stderr: markIfWritten("stderr", marker, always) };
  process.send?.({ ...message, seq, marked });
}
