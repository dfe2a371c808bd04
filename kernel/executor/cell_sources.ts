/**
 * The code and source maps of the cells the execution child ran, so that a
 * stack frame in a generated cell script (`cell[3]:12:5`) can be shown at the
 * line the user typed.
 *
 * Retention (a long session runs 10,000 cells and more; it must not keep every
 * one of them, issue 17):
 *  - the newest {@link RECENT_CELLS} cells are kept, whatever they declared;
 *  - an older cell is kept while it is still the latest cell that declared one
 *    of its top-level names (a function, class, variable or import): later
 *    cells may still call a function it defined, and an error thrown there
 *    must still map to a readable line, however many cells ago it was defined;
 *  - every other cell is forgotten. Its functions may still live (stored in a
 *    global by hand, a timer, an array declared elsewhere); a frame in one of
 *    them shows the generated position and says that the cell is too old to map
 *    (see {@link CellSources.describeForgotten}).
 * So the store holds at most RECENT_CELLS cells plus one per name the notebook
 * currently declares: it grows with what the user declares, not with the
 * number of cells run. A source map is kept as its JSON text and parsed the
 * first time a frame needs it (most cells never throw); at most
 * {@link PARSED_MAPS} parsed maps are kept.
 */
import { SourceMap } from "node:module";

/** Cells kept whatever they declared: the newest ones. */
export const RECENT_CELLS = 500;
/** Parsed source maps kept at once (parsing costs more memory than the JSON). */
export const PARSED_MAPS = 50;

interface CellSource {
  code: string;
  /** The transpile's source map as JSON; empty when there is none. */
  sourceMapJson: string;
  /** Lines of the generated body; frames past it are the wrapper's call. */
  bodyLines: number;
  /** Top-level names the cell declared. */
  declaredNames: readonly string[];
}

/** A cell as the runner hands it over. */
export interface CellSourceInput {
  cellNumber: number;
  code: string;
  sourceMap: string;
  bodyLines: number;
  /** Top-level names the cell declares (functions, classes, variables, imports). */
  declaredNames?: readonly string[];
}

export class CellSources {
  /** By cell number, in the order the cells ran (a Map keeps insertion order). */
  private readonly cells = new Map<number, CellSource>();
  /** name -> the latest cell that declared it. */
  private readonly latestDeclaration = new Map<string, number>();
  /** Cells older than the recent window, kept because they declare a current name; in run order. */
  private readonly pinned = new Set<number>();
  /** The newest cells, in run order (a queue: the first is the oldest). */
  private readonly recent: number[] = [];
  private recentStart = 0;
  private readonly parsed = new Map<number, SourceMap | null>();
  /** Highest cell number seen, to tell a forgotten cell from one never run here. */
  private newest = 0;

  /** Cells held now (recent ones and older ones that still declare a current name). */
  get size(): number {
    return this.cells.size;
  }

  add(cell: CellSourceInput): void {
    const declaredNames = cell.declaredNames ?? [];
    if (this.cells.has(cell.cellNumber)) {
      // The same number again (a cell run with store_history off keeps the count): the new run replaces the old.
      this.drop(cell.cellNumber);
      const at = this.recent.indexOf(cell.cellNumber, this.recentStart);
      if (at >= 0) this.recent.splice(at, 1);
    }
    this.cells.set(cell.cellNumber, { code: cell.code, sourceMapJson: cell.sourceMap, bodyLines: cell.bodyLines, declaredNames });
    this.newest = Math.max(this.newest, cell.cellNumber);
    for (const name of declaredNames) {
      const previous = this.latestDeclaration.get(name);
      this.latestDeclaration.set(name, cell.cellNumber);
      if (previous !== undefined && previous !== cell.cellNumber && this.pinned.has(previous) && !this.declaresCurrentName(previous)) this.drop(previous);
    }
    this.recent.push(cell.cellNumber);
    while (this.recent.length - this.recentStart > RECENT_CELLS) {
      const leaving = this.recent[this.recentStart++]!;
      if (!this.cells.has(leaving)) continue;
      if (this.declaresCurrentName(leaving)) this.pinned.add(leaving);
      else this.drop(leaving);
    }
    if (this.recentStart > RECENT_CELLS) {
      this.recent.splice(0, this.recentStart);
      this.recentStart = 0;
    }
  }

  /** Whether a cell's source is still held. */
  has(cellNumber: number): boolean {
    return this.cells.has(cellNumber);
  }

  /** 1-based cell line and column for a 1-based generated position. */
  position(cellNumber: number, line: number, column: number): { line: number; column: number } | undefined {
    const map = this.mapOf(cellNumber);
    if (!map) return undefined;
    const entry = map.findEntry(line - 1, Math.max(0, column - 1)) as { originalLine?: number; originalColumn?: number };
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

  /**
   * Why a frame of this cell cannot be mapped, when the cell ran here but was
   * forgotten under the retention policy; undefined otherwise.
   */
  describeForgotten(cellNumber: number): string | undefined {
    if (this.cells.has(cellNumber) || cellNumber > this.newest || cellNumber < 1) return undefined;
    return `cell[${cellNumber}] is too old to map to its lines (the kernel keeps those of the last ${RECENT_CELLS} cells and of cells whose declarations are still current); the position is in the generated script`;
  }

  private mapOf(cellNumber: number): SourceMap | undefined {
    const cell = this.cells.get(cellNumber);
    if (!cell?.sourceMapJson) return undefined;
    let map = this.parsed.get(cellNumber);
    if (map === undefined) {
      try {
        map = new SourceMap(JSON.parse(cell.sourceMapJson));
      } catch {
        map = null;
      }
      this.parsed.set(cellNumber, map);
      if (this.parsed.size > PARSED_MAPS) this.parsed.delete(this.parsed.keys().next().value!);
    }
    return map ?? undefined;
  }

  private declaresCurrentName(cellNumber: number): boolean {
    return (this.cells.get(cellNumber)?.declaredNames ?? []).some((name) => this.latestDeclaration.get(name) === cellNumber);
  }

  private drop(cellNumber: number): void {
    const cell = this.cells.get(cellNumber);
    if (!cell) return;
    for (const name of cell.declaredNames) if (this.latestDeclaration.get(name) === cellNumber) this.latestDeclaration.delete(name);
    this.cells.delete(cellNumber);
    this.pinned.delete(cellNumber);
    this.parsed.delete(cellNumber);
  }
}
