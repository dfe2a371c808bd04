/**
 * Error tracebacks in cell coordinates: stack frames in generated cell scripts
 * (`cell[3]:12:5`) are mapped through the cell's source map to the line the
 * user typed; the kernel's own frames are dropped. Which cells can still be
 * mapped is cell_sources.ts's retention policy.
 */
import { inspect } from "node:util";
import path from "node:path";
import type { ErrorInfo } from "./child_protocol";
import type { CellSources } from "./cell_sources";

const RED = "\u001b[0;31m";
const CYAN = "\u001b[0;36m";
const RESET = "\u001b[0m";
const KERNEL_DIR = path.resolve(__dirname, "..");

const FRAME_POSITION = /cell\[(\d+)\]:(\d+):(\d+)/;

/** ename/evalue/traceback for anything a cell threw. */
export function describeError(thrown: unknown, sources: CellSources): ErrorInfo {
  if (!(thrown instanceof Error)) {
    const evalue = inspect(thrown, { depth: 2 });
    return { ename: "Uncaught", evalue, traceback: [`${RED}Uncaught${RESET} ${evalue}`] };
  }
  const ename = thrown.name || "Error";
  const evalue = thrown.message;
  const traceback = [`${RED}${ename}${RESET}: ${evalue}`];
  let context: string | undefined;
  for (const raw of (thrown.stack ?? "").split("\n").slice(1)) {
    const frame = raw.trimEnd();
    if (!/^\s+at /.test(frame)) continue;
    if (frame.includes(KERNEL_DIR) || frame.includes("node:internal") || frame.includes("node:vm")) continue;
    const match = FRAME_POSITION.exec(frame);
    if (match) {
      const cellNumber = Number(match[1]);
      if (sources.isWrapperFrame(cellNumber, Number(match[2]))) continue;
      const forgotten = sources.describeForgotten(cellNumber);
      if (forgotten !== undefined) {
        traceback.push(`${frame} (${forgotten})`);
        continue;
      }
      const mapped = sources.position(cellNumber, Number(match[2]), Number(match[3]));
      const line = mapped?.line ?? Number(match[2]);
      const column = mapped?.column ?? Number(match[3]);
      traceback.push(frame.replace(FRAME_POSITION, `cell[${cellNumber}]:${line}:${column}`));
      if (context === undefined) {
        const text = sources.sourceLine(cellNumber, line);
        if (text !== undefined) context = `${CYAN}cell[${cellNumber}], line ${line}:${RESET} ${text.trim()}`;
      }
    } else traceback.push(frame);
  }
  if (context) traceback.splice(1, 0, context);
  return { ename, evalue, traceback };
}
