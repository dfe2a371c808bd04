/**
 * Input history for history_request (tail, range, search with glob patterns).
 * Kept for the kernel's lifetime as session 1 (this kernel keeps no history
 * database across restarts; ipykernel's sqlite history is not reproduced).
 */
export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  output?: string;
}

export const SESSION = 1;

export class History {
  private readonly entries: HistoryEntry[] = [];

  add(line: number, input: string): void {
    this.entries.push({ session: SESSION, line, input });
  }

  setOutput(line: number, output: string): void {
    const entry = this.entries.findLast((e) => e.line === line);
    if (entry) entry.output = output;
  }

  tail(n: number): HistoryEntry[] {
    return n > 0 ? this.entries.slice(-n) : [];
  }

  /** Lines [start, stop) of a session (0 or 1 mean this one); negative numbers count from the end. */
  range(session: number, start: number, stop: number | undefined): HistoryEntry[] {
    if (session !== 0 && session !== SESSION && session !== -1) return [];
    const last = this.entries.length ? this.entries[this.entries.length - 1]!.line + 1 : 1;
    const from = start < 0 ? last + start : start;
    const to = stop === undefined || stop === null ? last : stop < 0 ? last + stop : stop;
    return this.entries.filter((e) => e.line >= from && e.line < to);
  }

  /** Entries whose input matches a glob (`*`, `?`), newest last; `unique` drops repeated inputs. */
  search(pattern: string, n: number | undefined, unique: boolean): HistoryEntry[] {
    const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[\\s\\S]*").replace(/\?/g, "[\\s\\S]")}$`);
    let found = this.entries.filter((e) => regex.test(e.input));
    if (unique) {
      const seen = new Set<string>();
      found = found.reverse().filter((e) => !seen.has(e.input) && seen.add(e.input)).reverse();
    }
    return n ? found.slice(-n) : found;
  }
}
