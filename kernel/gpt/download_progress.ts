/**
 * A download progress bar in the notebook cell (tsgpu's `display`, updated in
 * place and throttled); outside the kernel it prints the first and last lines.
 */
import { display, inKernel, type DisplayHandle } from "../runtime/display.js";

const MB = 1e6;

/** "12.3 MB" */
export function formatMegabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(1)} MB`;
}

/** One progress line: "model.safetensors  [#####.....]  45%  246.6 / 548.1 MB". */
export function progressLine(file: string, received: number, total: number | undefined): string {
  if (total === undefined || total <= 0) return `${file}  ${formatMegabytes(received)}`;
  const fraction = Math.min(1, received / total);
  const width = 30;
  const filled = Math.round(fraction * width);
  return `${file}  [${"#".repeat(filled)}${".".repeat(width - filled)}]  ${Math.floor(fraction * 100)}%  ${(received / MB).toFixed(1)} / ${formatMegabytes(total)}`;
}

/**
 * A `progress` callback for {@link import("./hub.js").HubOptions}: one output
 * per file, redrawn at most every `intervalMs`, ending with
 * "downloaded <file>: X MB in Y s".
 */
export function displayProgress(options: { intervalMs?: number; now?: () => number } = {}): (file: string, received: number, total: number | undefined) => void {
  const intervalMs = options.intervalMs ?? 250;
  const now = options.now ?? Date.now;
  const bars = new Map<string, { handle: DisplayHandle; started: number; lastDrawn: number; firstReceived: number }>();
  return (file, received, total) => {
    const time = now();
    let bar = bars.get(file);
    if (!bar) {
      bar = { handle: display(progressLine(file, received, total)), started: time, lastDrawn: time, firstReceived: received };
      bars.set(file, bar);
    }
    const done = total !== undefined && received >= total;
    if (done) {
      const seconds = ((time - bar.started) / 1000).toFixed(1);
      const line = `downloaded ${file}: ${formatMegabytes(received - bar.firstReceived)} in ${seconds} s`;
      // Outside the kernel updates are not shown: print the last line as a new output.
      if (inKernel()) bar.handle.update(line);
      else display(line);
      bars.delete(file);
    } else if (time - bar.lastDrawn >= intervalMs) {
      bar.lastDrawn = time;
      bar.handle.update(progressLine(file, received, total));
    }
  };
}
