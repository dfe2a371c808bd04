/**
 * The scripts the execution child ran, as the debugger knows them: each cell
 * run is script `cell[N]` with the code's path (the name dumpCell gives it) and
 * a line map built on first use (most cells are never debugged). Also the
 * script ids V8 announced, so a CDP call frame maps back to its cell.
 */
import { CellLines } from "./cell_lines";
import type { RemoteObject } from "./remote_values";

/** CDP Debugger.CallFrame (the fields used here). */
export interface CallFrame {
  callFrameId: string;
  functionName: string;
  location: { scriptId: string; lineNumber: number; columnNumber?: number };
  scopeChain: { type: string; object: RemoteObject; name?: string }[];
  this: RemoteObject;
}

/** A script the child ran; its line map is built on first use. */
export class CellRecord {
  private map: CellLines | undefined;

  constructor(
    readonly cellNumber: number,
    readonly path: string,
    readonly code: string,
    private readonly body: string,
    private readonly sourceMap: string,
  ) {}

  get lines(): CellLines {
    return (this.map ??= new CellLines(this.body, this.sourceMap));
  }
}

const CELL_URL = /^cell\[(\d+)\]$/;
/** Scripts run per code are remembered this many times (old ones keep their functions alive). */
const CELLS_PER_PATH = 20;
/** Scripts remembered in all (a long session runs thousands of cells). */
export const CELLS_KEPT = 1000;

export class CellScripts {
  private readonly byPath = new Map<string, CellRecord[]>();
  private readonly byNumber = new Map<number, CellRecord>();
  /** V8 script id -> url, from Debugger.scriptParsed (a forgotten cell's entry goes with it). */
  readonly urls = new Map<string, string>();
  /** Cell number -> its scripts' ids, to drop their urls when the cell is forgotten. */
  private readonly scriptIdsByCell = new Map<number, string[]>();

  /** Remembers a cell about to run, forgetting the oldest past the limits. */
  add(record: CellRecord): void {
    const records = this.byPath.get(record.path) ?? [];
    records.push(record);
    if (records.length > CELLS_PER_PATH) this.forget(records.shift()!);
    this.byPath.set(record.path, records);
    this.byNumber.set(record.cellNumber, record);
    if (this.byNumber.size > CELLS_KEPT) this.forget(this.byNumber.values().next().value!);
  }

  /** Records a script V8 parsed (Debugger.scriptParsed). */
  scriptParsed(scriptId: string, url: string): void {
    this.urls.set(scriptId, url);
    const match = CELL_URL.exec(url);
    if (!match) return;
    const cellNumber = Number(match[1]);
    if (!this.byNumber.has(cellNumber)) {
      this.urls.delete(scriptId); // a cell already forgotten (or never announced): it could not be mapped anyway
      return;
    }
    this.scriptIdsByCell.set(cellNumber, [...(this.scriptIdsByCell.get(cellNumber) ?? []), scriptId]);
  }

  /** The remembered runs of the code with this path, oldest first. */
  withPath(sourcePath: string): readonly CellRecord[] {
    return this.byPath.get(sourcePath) ?? [];
  }

  /** The cell a call frame is in, if it is in a remembered cell. */
  cellOf(frame: CallFrame): CellRecord | undefined {
    const match = CELL_URL.exec(this.urls.get(frame.location.scriptId) ?? "");
    return match ? this.byNumber.get(Number(match[1])) : undefined;
  }

  /** A frame in a cell's own lines (not the wrapper that calls it, not a library). */
  isUserCode(frame: CallFrame): boolean {
    const cell = this.cellOf(frame);
    return cell !== undefined && frame.location.lineNumber >= 0 && frame.location.lineNumber < cell.lines.length;
  }

  clear(): void {
    this.byPath.clear();
    this.byNumber.clear();
    this.urls.clear();
    this.scriptIdsByCell.clear();
  }

  /** Records held: cells by number and cell script ids (both bounded by CELLS_KEPT). */
  get size(): { cells: number; cellScripts: number } {
    let cellScripts = 0;
    for (const ids of this.scriptIdsByCell.values()) cellScripts += ids.length;
    return { cells: this.byNumber.size, cellScripts };
  }

  /** Drops a script's record (its functions may live on, but are no longer mapped to their cell). */
  private forget(record: CellRecord): void {
    if (this.byNumber.get(record.cellNumber) === record) {
      this.byNumber.delete(record.cellNumber);
      for (const scriptId of this.scriptIdsByCell.get(record.cellNumber) ?? []) this.urls.delete(scriptId);
      this.scriptIdsByCell.delete(record.cellNumber);
    }
    const records = this.byPath.get(record.path)?.filter((other) => other !== record);
    if (records?.length) this.byPath.set(record.path, records);
    else this.byPath.delete(record.path);
  }
}
