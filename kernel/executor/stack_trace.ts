/**
 * Error tracebacks in cell coordinates: stack frames in generated cell scripts
 * (`cell[3]:12:5`) are mapped through the cell's source map to the line the
 * user typed; the kernel's own frames are dropped.
 */
import { SourceMap } from "node:module";
import { inspect } from "node:util";
import path from "node:path";
import type { ErrorInfo } from "./child_protocol";

const RED = "\u001b[0;31m";
const CYAN = "\u001b[0;36m";
const RESET = "\u001b[0m";
const KERNEL_DIR = path.resolve(__dirname, "..");

interface CellSource {
  code: string;
  map: SourceMap | undefined;
  /** Lines of the generated body; frames past it are the wrapper's call. */
  bodyLines: number;
}

/** Source maps and code of recent cells, by cell number. */
export class CellSources {
  private readonly cells = new Map<number, CellSource>();

  add(cellNumber: number, code: string, sourceMap: string, bodyLines: number): void {
    let map: SourceMap | undefined;
    try {
      map = sourceMap ? new SourceMap(JSON.parse(sourceMap)) : undefined;
    } catch {
      map = undefined;
    }
    this.cells.set(cellNumber, { code, map, bodyLines });
  }

  /** 1-based cell line and column for a 1-based generated position. */
  position(cellNumber: number, line: number, column: number): { line: number; column: number } | undefined {
    const cell = this.cells.get(cellNumber);
    if (!cell?.map) return undefined;
    const entry = cell.map.findEntry(line - 1, Math.max(0, column - 1)) as { originalLine?: number; originalColumn?: number };
    if (entry?.originalLine === undefined) return undefined;
    return { line: entry.originalLine + 1, column: (entry.originalColumn ?? 0) + 1 };
  }

  /** True for a frame of the wrapper that calls the cell body, not of the user's code. */
  isWrapperFrame(cellNumber: number, line: number): boolean {
    const cell = this.cells.get(cellNumber);
    return cell !== undefined && line > cell.bodyLines;
  }

  sourceLine(cellNumber: number, line: number): string | undefined {
    return this.cells.get(cellNumber)?.code.split("\n")[line - 1];
  }
}

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
