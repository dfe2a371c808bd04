/**
 * Input history for history_request (tail, range, search with glob patterns),
 * across restarts and sessions when given a {@link HistoryFile}, as IPython
 * keeps one: each kernel is a new session, numbered one past the highest in
 * the file. Without a file (unit tests, `TSGPU_HISTORY=off`) it lasts for the
 * kernel's lifetime.
 *
 * Sessions follow the messaging spec's history_request: in `range`, `session`
 * 0 is this kernel's session, a negative number counts back from it (-1 is the
 * previous session), a positive one names a session.
 */
import fs from "node:fs";
import path from "node:path";

export interface HistoryEntry {
  session: number;
  line: number;
  input: string;
  output?: string;
}

/** The session number of a kernel without a history file. */
export const SESSION = 1;

/** Entries kept (in memory and, after compaction, in the file). */
export const MAX_HISTORY_ENTRIES = 10_000;

export class History {
  private readonly entries: HistoryEntry[];
  /** This kernel's session number. */
  readonly session: number;

  constructor(private readonly file?: HistoryFile) {
    const loaded = file?.load() ?? { entries: [], lastSession: 0 };
    this.entries = loaded.entries;
    this.session = file ? loaded.lastSession + 1 : SESSION;
    file?.startSession(this.session);
  }

  add(line: number, input: string): void {
    const entry: HistoryEntry = { session: this.session, line, input };
    this.entries.push(entry);
    if (this.entries.length > MAX_HISTORY_ENTRIES) this.entries.splice(0, this.entries.length - MAX_HISTORY_ENTRIES);
    this.file?.append({ session: entry.session, line, input }, this.entries);
  }

  setOutput(line: number, output: string): void {
    const entry = this.entries.findLast((e) => e.session === this.session && e.line === line);
    if (!entry) return;
    entry.output = output;
    this.file?.append({ session: this.session, line, output }, this.entries);
  }

  /** The last n entries, across sessions. */
  tail(n: number): HistoryEntry[] {
    return n > 0 ? this.entries.slice(-n) : [];
  }

  /**
   * Lines [start, stop) of a session: 0 is this one, negative counts back
   * from it, positive names one. Negative lines count from the session's end.
   */
  range(session: number, start: number, stop: number | undefined | null): HistoryEntry[] {
    const wanted = session <= 0 ? this.session + session : session;
    const lines = this.entries.filter((e) => e.session === wanted);
    const last = lines.length ? lines[lines.length - 1]!.line + 1 : 1;
    const from = start < 0 ? last + start : start;
    const to = stop === undefined || stop === null ? last : stop < 0 ? last + stop : stop;
    return lines.filter((e) => e.line >= from && e.line < to);
  }

  /** Entries whose input matches a glob (`*`, `?`), newest last, across sessions; `unique` drops repeated inputs. */
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

/** One line of the file: an input, an output for an earlier input, or a session start. */
type Record =
  | { session: number; line: number; input: string }
  | { session: number; line: number; output: string }
  | { session: number; started: string };

/**
 * The history file: JSON lines, appended as cells run, in the user's Jupyter
 * data directory (`<data dir>/tsgpu/history.jsonl`). Kept to
 * {@link MAX_HISTORY_ENTRIES} entries by rewriting it (to a temporary file,
 * renamed over) when it has grown to twice that. A line that is not valid
 * JSON is skipped; a file that cannot be read or written leaves history in
 * memory only. Each problem is reported once on the kernel's stderr (the
 * Jupyter server log), never as a cell error.
 */
export class HistoryFile {
  private lines = 0;
  private broken = false;
  private readonly reported = new Set<string>();

  constructor(
    readonly path: string,
    private readonly log: (message: string) => void = (message) => process.stderr.write(`[tsgpu] ${message}\n`),
  ) {}

  /** The entries in the file (the newest {@link MAX_HISTORY_ENTRIES}) and the highest session number. */
  load(): { entries: HistoryEntry[]; lastSession: number } {
    let text: string;
    try {
      text = fs.readFileSync(this.path, "utf8");
    } catch (error) {
      // No file yet (ENOENT, or a missing folder on the way: ENOTDIR): nothing to report; writing will say if it cannot.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ENOENT" && code !== "ENOTDIR") this.report("read", `cannot read the history file ${this.path} (${reason(error)}); earlier sessions are not available`);
      return { entries: [], lastSession: 0 };
    }
    const entries: HistoryEntry[] = [];
    const index = new Map<string, HistoryEntry>();
    let lastSession = 0;
    let corrupt = 0;
    const rows = text.split("\n");
    for (const row of rows) {
      if (!row.trim()) continue;
      this.lines++;
      let record: Partial<Record & { input: unknown; output: unknown; line: unknown; started: unknown }>;
      try {
        record = JSON.parse(row) as typeof record;
      } catch {
        corrupt++;
        continue;
      }
      if (typeof record !== "object" || record === null || !Number.isInteger(record.session)) {
        corrupt++;
        continue;
      }
      const session = record.session!;
      lastSession = Math.max(lastSession, session);
      if (typeof record.input === "string" && Number.isInteger(record.line)) {
        const entry: HistoryEntry = { session, line: record.line as number, input: record.input };
        entries.push(entry);
        index.set(`${session}:${entry.line}`, entry);
      } else if (typeof record.output === "string" && Number.isInteger(record.line)) {
        const entry = index.get(`${session}:${record.line as number}`);
        if (entry) entry.output = record.output;
      } else if (!("started" in record)) corrupt++;
    }
    if (corrupt) this.report("corrupt", `${corrupt} line${corrupt > 1 ? "s" : ""} of the history file ${this.path} could not be read and ${corrupt > 1 ? "were" : "was"} skipped`);
    const kept = entries.slice(-MAX_HISTORY_ENTRIES);
    if (corrupt || this.lines > 2 * MAX_HISTORY_ENTRIES) this.compact(kept, lastSession);
    return { entries: kept, lastSession };
  }

  /** Records the start of a session (so its number is taken even before its first cell). */
  startSession(session: number): void {
    this.write({ session, started: new Date().toISOString() });
  }

  /** Appends one record; `entries` (what memory holds) is written back when the file needs compacting. */
  append(record: Record, entries: readonly HistoryEntry[]): void {
    this.write(record);
    if (this.lines > 2 * MAX_HISTORY_ENTRIES) this.compact(entries, Math.max(...entries.map((e) => e.session), 0));
  }

  private write(record: Record): void {
    if (this.broken) return;
    try {
      fs.mkdirSync(path.dirname(this.path), { recursive: true });
      fs.appendFileSync(this.path, `${JSON.stringify(record)}\n`);
      this.lines++;
    } catch (error) {
      this.broken = true;
      this.report("write", `cannot write the history file ${this.path} (${reason(error)}); this session's history is kept in memory only`);
    }
  }

  /** Rewrites the file with `entries` (newest {@link MAX_HISTORY_ENTRIES}) and a start record for the last session. */
  private compact(entries: readonly HistoryEntry[], lastSession: number): void {
    if (this.broken) return;
    const kept = entries.slice(-MAX_HISTORY_ENTRIES);
    const rows: string[] = [JSON.stringify({ session: lastSession, started: "compacted" })];
    for (const e of kept) {
      rows.push(JSON.stringify({ session: e.session, line: e.line, input: e.input }));
      if (e.output !== undefined) rows.push(JSON.stringify({ session: e.session, line: e.line, output: e.output }));
    }
    const temporary = `${this.path}.${process.pid}.tmp`;
    try {
      fs.mkdirSync(path.dirname(this.path), { recursive: true });
      fs.writeFileSync(temporary, `${rows.join("\n")}\n`);
      fs.renameSync(temporary, this.path);
      this.lines = rows.length;
    } catch (error) {
      fs.rmSync(temporary, { force: true });
      this.report("compact", `cannot rewrite the history file ${this.path} (${reason(error)})`);
    }
  }

  private report(kind: string, message: string): void {
    if (this.reported.has(kind)) return;
    this.reported.add(kind);
    try {
      this.log(message);
    } catch {
      // logging must never stop the kernel
    }
  }
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
