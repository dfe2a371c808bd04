/**
 * Cell timing from the `execution` cell metadata that JupyterLab writes when
 * the notebook setting `recordTiming` is on (the keys jupyterlab-execute-time
 * reads too): `iopub.status.busy`, `iopub.execute_input`,
 * `shell.execute_reply.started`, `shell.execute_reply`, `iopub.status.idle`,
 * and `execution_failed` when an execution was aborted. Values are ISO dates.
 * Pure functions: no DOM, no JupyterLab.
 */

/** The `execution` metadata object, as stored in the notebook. */
export type ExecutionMetadata = Partial<Record<string, unknown>>;

/** What a cell's timing line says. */
export type CellTiming =
  | { kind: "none" }
  /** Sent to the kernel, not started yet (behind other cells). */
  | { kind: "queued" }
  | { kind: "running"; startedAt: number }
  | { kind: "done"; startedAt: number; endedAt: number; durationMs: number }
  | { kind: "failed"; startedAt: number | undefined; endedAt: number };

function time(metadata: ExecutionMetadata, key: string): number | undefined {
  const value = metadata[key];
  if (typeof value !== "string") return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * Reads the timing of a cell. `executing` is the cell model's execution state
 * ("running" from the moment JupyterLab sends the request until the reply).
 */
export function cellTiming(metadata: ExecutionMetadata | undefined, executing: boolean): CellTiming {
  if (metadata === undefined || metadata === null || typeof metadata !== "object") return executing ? { kind: "queued" } : { kind: "none" };
  const busy = time(metadata, "iopub.status.busy");
  const input = time(metadata, "iopub.execute_input");
  const started = time(metadata, "shell.execute_reply.started") ?? input ?? busy;
  const reply = time(metadata, "shell.execute_reply");
  const failed = time(metadata, "execution_failed");
  // recordTiming overwrites keys one by one, so older values linger: a busy newer than the reply is a new run.
  const latestStart = Math.max(busy ?? -Infinity, input ?? -Infinity);
  const newRun = latestStart !== -Infinity && (reply === undefined || latestStart > reply);
  if (failed !== undefined && (reply === undefined || failed >= reply) && !(newRun && latestStart > failed)) {
    return { kind: "failed", startedAt: newRun ? latestStart : started, endedAt: failed };
  }
  if (executing) {
    if (newRun) return { kind: "running", startedAt: Math.min(busy ?? Infinity, input ?? Infinity) };
    return { kind: "queued" };
  }
  if (started !== undefined && reply !== undefined && reply >= started) {
    return { kind: "done", startedAt: started, endedAt: reply, durationMs: reply - started };
  }
  return { kind: "none" };
}

/** A duration for people: "85 ms", "1.24 s", "12.3 s", "2 min 05 s", "1 h 02 min". */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return "–";
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = ms / 1000;
  if (seconds < 10) return `${seconds.toFixed(2)} s`;
  if (seconds < 60) return `${seconds.toFixed(1)} s`;
  const totalSeconds = Math.floor(seconds);
  const minutes = Math.floor(totalSeconds / 60);
  if (minutes < 60) return `${minutes} min ${String(totalSeconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(minutes / 60)} h ${String(minutes % 60).padStart(2, "0")} min`;
}

/** When a cell ran: the time of day today, else the date too (local time, 24 h). */
export function formatWhen(ms: number, now: number): string {
  const date = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, "0");
  const clock = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const today = new Date(now);
  const sameDay = date.getFullYear() === today.getFullYear() && date.getMonth() === today.getMonth() && date.getDate() === today.getDate();
  return sameDay ? clock : `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${clock}`;
}

/** The timing line under a cell, or "" when there is nothing to say. */
export function timingText(timing: CellTiming, now: number): string {
  switch (timing.kind) {
    case "none":
      return "";
    case "queued":
      return "Queued…";
    case "running":
      return `Running for ${formatDuration(now - timing.startedAt)}`;
    case "done":
      return `Took ${formatDuration(timing.durationMs)} · ran at ${formatWhen(timing.startedAt, now)}`;
    case "failed":
      return timing.startedAt === undefined
        ? `Not run: execution aborted at ${formatWhen(timing.endedAt, now)}`
        : `Aborted after ${formatDuration(timing.endedAt - timing.startedAt)} · ran at ${formatWhen(timing.startedAt, now)}`;
  }
}
