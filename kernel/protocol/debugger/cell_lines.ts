/**
 * Line mapping between a cell as typed (1-based lines, what the front end
 * shows) and the generated body the child runs (0-based CDP line numbers: the
 * runner's `lineOffset: -1` makes line 1 of the body CDP line 0). Built from
 * the transpile's source map, the same one stack traces use: each generated
 * line maps to the cell line of its first token.
 */
import { SourceMap } from "node:module";

export class CellLines {
  /** Cell line (1-based) of each generated line (0-based); undefined for lines the map does not cover. */
  private readonly cellLineOf: (number | undefined)[];

  constructor(body: string, sourceMap: string) {
    const lines = body.split("\n");
    let map: SourceMap | undefined;
    try {
      map = sourceMap ? new SourceMap(JSON.parse(sourceMap)) : undefined;
    } catch {
      map = undefined;
    }
    this.cellLineOf = lines.map((text, generated) => {
      if (!map) return generated + 1;
      const indent = text.length - text.trimStart().length;
      const entry = map.findEntry(generated, indent) as { generatedLine?: number; originalLine?: number };
      return entry.generatedLine === generated && entry.originalLine !== undefined ? entry.originalLine + 1 : undefined;
    });
  }

  /** The cell line (1-based) of a generated line (0-based), or the nearest mapped line above it. */
  cellLine(generated: number): number {
    for (let line = Math.min(generated, this.cellLineOf.length - 1); line >= 0; line--) {
      const mapped = this.cellLineOf[line];
      if (mapped !== undefined) return mapped;
    }
    return generated + 1;
  }

  /**
   * The first generated line (0-based) of a cell line, or of the next cell line
   * that has code (a breakpoint on a comment or a blank line slides down, as in
   * other debuggers); undefined past the last line with code.
   */
  generatedLine(cellLine: number): number | undefined {
    let best: { generated: number; cellLine: number } | undefined;
    this.cellLineOf.forEach((mapped, generated) => {
      if (mapped === undefined || mapped < cellLine) return;
      if (!best || mapped < best.cellLine) best = { generated, cellLine: mapped };
    });
    return best?.generated;
  }

  /** Number of generated lines; CDP lines past it belong to the wrapper that calls the cell. */
  get length(): number {
    return this.cellLineOf.length;
  }
}
