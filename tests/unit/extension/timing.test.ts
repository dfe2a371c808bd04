// Cell timing from JupyterLab's `execution` cell metadata (recordTiming).
import assert from "node:assert/strict";
import { test } from "node:test";
import { cellTiming, formatDuration, formatWhen, timingText } from "../../../src/timing/timing.js";

const at = (s: number) => new Date(Date.UTC(2026, 10, 25, 12, 0, 0) + s * 1000).toISOString();

test("a finished cell took from the kernel's start to its reply", () => {
  const timing = cellTiming({ "iopub.status.busy": at(0), "iopub.execute_input": at(0.01), "shell.execute_reply.started": at(0.02), "shell.execute_reply": at(1.52), "iopub.status.idle": at(1.53) }, false);
  assert.equal(timing.kind, "done");
  assert.ok(timing.kind === "done");
  assert.equal(timing.durationMs, 1500);
  assert.match(timingText(timing, Date.parse(at(5))), /^Took 1\.50 s · ran at \d\d:\d\d:\d\d$/);
});

test("without metadata.started the duration starts at execute_input, then at busy", () => {
  const a = cellTiming({ "iopub.status.busy": at(0), "iopub.execute_input": at(0.5), "shell.execute_reply": at(1) }, false);
  assert.ok(a.kind === "done" && a.durationMs === 500);
  const b = cellTiming({ "iopub.status.busy": at(0), "shell.execute_reply": at(2) }, false);
  assert.ok(b.kind === "done" && b.durationMs === 2000);
});

test("a re-run cell is running while its new busy is newer than the old reply", () => {
  const timing = cellTiming({ "iopub.status.busy": at(10), "iopub.execute_input": at(10.1), "shell.execute_reply.started": at(0), "shell.execute_reply": at(1) }, true);
  assert.deepEqual(timing, { kind: "running", startedAt: Date.parse(at(10)) });
  assert.equal(timingText(timing, Date.parse(at(12.5))), "Running for 2.50 s");
});

test("a cell sent to a busy kernel is queued until its own busy arrives", () => {
  assert.deepEqual(cellTiming(undefined, true), { kind: "queued" });
  assert.deepEqual(cellTiming({ "shell.execute_reply.started": at(0), "iopub.status.busy": at(0), "shell.execute_reply": at(1) }, true), { kind: "queued" });
});

test("an aborted execution says so", () => {
  const notRun = cellTiming({ execution_failed: at(3) }, false);
  assert.equal(notRun.kind, "failed");
  assert.match(timingText(notRun, Date.parse(at(4))), /^Not run: execution aborted at \d\d:\d\d:\d\d$/);
  const interrupted = cellTiming({ "iopub.status.busy": at(0), execution_failed: at(4) }, false);
  assert.match(timingText(interrupted, Date.parse(at(5))), /^Aborted after 4\.00 s/);
  const rerunAfterFailure = cellTiming({ execution_failed: at(1), "iopub.status.busy": at(2), "shell.execute_reply": at(3) }, false);
  assert.equal(rerunAfterFailure.kind, "done");
});

test("cells never run show nothing; bad dates are ignored", () => {
  assert.equal(timingText(cellTiming(undefined, false), 0), "");
  assert.equal(cellTiming({ "shell.execute_reply": "yesterday" }, false).kind, "none");
});

test("durations read naturally at every scale", () => {
  assert.equal(formatDuration(85.4), "85 ms");
  assert.equal(formatDuration(1234), "1.23 s");
  assert.equal(formatDuration(12_345), "12.3 s");
  assert.equal(formatDuration(125_000), "2 min 05 s");
  assert.equal(formatDuration(3_725_000), "1 h 02 min");
  assert.equal(formatDuration(-1), "–");
});

test("the date is shown only when the cell ran on another day", () => {
  const ran = new Date(2026, 10, 25, 9, 5, 7).getTime();
  assert.equal(formatWhen(ran, new Date(2026, 10, 25, 23, 0).getTime()), "09:05:07");
  assert.equal(formatWhen(ran, new Date(2026, 10, 26, 1, 0).getTime()), "2026-11-25 09:05:07");
});
