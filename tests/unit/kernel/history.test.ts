import assert from "node:assert/strict";
import { test } from "node:test";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { History, HistoryFile, MAX_HISTORY_ENTRIES } from "../../../kernel/protocol/history";

const history = new History();
["const a = 1", "a + 1", "console.log(a)", "a + 1"].forEach((input, i) => history.add(i + 1, input));

test("tail returns the last n inputs", () => {
  assert.deepEqual(history.tail(2).map((e) => e.input), ["console.log(a)", "a + 1"]);
});

test("range selects lines [start, stop) and counts negatives from the end", () => {
  assert.deepEqual(history.range(0, 2, 4).map((e) => e.line), [2, 3]);
  assert.deepEqual(history.range(0, -2, undefined).map((e) => e.line), [3, 4]);
});

test("search matches glob patterns and can drop repeats", () => {
  assert.deepEqual(history.search("a*", undefined, false).map((e) => e.line), [2, 4]);
  assert.deepEqual(history.search("a + ?", undefined, true).map((e) => e.line), [4]);
});

// -- the history file, across sessions -------------------------------------------------
function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "tsgpu-history-"));
}

function collecting(): { log: (message: string) => void; messages: string[] } {
  const messages: string[] = [];
  return { log: (message) => messages.push(message), messages };
}

test("a new kernel is a new session and sees earlier sessions in tail, range and search", () => {
  const file = path.join(tempDir(), "tsgpu", "history.jsonl");
  const first = new History(new HistoryFile(file));
  assert.equal(first.session, 1);
  first.add(1, "const x = 1");
  first.add(2, "x + 1");
  first.setOutput(2, "2");
  const second = new History(new HistoryFile(file));
  assert.equal(second.session, 2);
  second.add(1, "x * 10");
  assert.deepEqual(second.tail(3).map((e) => [e.session, e.line, e.input]), [[1, 1, "const x = 1"], [1, 2, "x + 1"], [2, 1, "x * 10"]]);
  assert.deepEqual(second.range(-1, 1, undefined).map((e) => [e.line, e.input, e.output]), [[1, "const x = 1", undefined], [2, "x + 1", "2"]], "-1 is the previous session");
  assert.deepEqual(second.range(0, 1, undefined).map((e) => e.input), ["x * 10"], "0 is this session");
  assert.deepEqual(second.range(1, 2, 3).map((e) => e.input), ["x + 1"], "a positive number names a session");
  assert.deepEqual(second.search("x*", undefined, false).map((e) => e.session), [1, 2]);
  const third = new History(new HistoryFile(file));
  assert.equal(third.session, 3, "a session with no cells still takes its number");
  assert.deepEqual(third.range(-2, 1, undefined).map((e) => e.input), ["const x = 1", "x + 1"]);
});

test("a corrupt history file is reported once, its readable lines kept, and the kernel goes on", () => {
  const file = path.join(tempDir(), "history.jsonl");
  fs.writeFileSync(file, [JSON.stringify({ session: 4, line: 1, input: "kept" }), "{not json", "\u0000\u0001garbage", JSON.stringify({ session: 4, line: 2, input: "also kept" }), ""].join("\n"));
  const { log, messages } = collecting();
  const history = new History(new HistoryFile(file, log));
  assert.equal(history.session, 5);
  assert.deepEqual(history.tail(10).map((e) => e.input), ["kept", "also kept"]);
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /2 lines of the history file .* could not be read and were skipped/);
  history.add(1, "new");
  assert.equal(messages.length, 1, "reported once");
  const again = collecting();
  assert.deepEqual(new History(new HistoryFile(file, again.log)).tail(10).map((e) => e.input), ["kept", "also kept", "new"]);
  assert.deepEqual(again.messages, [], "the corrupt lines were dropped when the file was rewritten");
});

test("an unwritable history directory is reported once and history stays in memory", () => {
  // A regular file where the directory should be: unwritable for every user, root included.
  const blocker = path.join(tempDir(), "not-a-directory");
  fs.writeFileSync(blocker, "");
  const { log, messages } = collecting();
  const history = new History(new HistoryFile(path.join(blocker, "tsgpu", "history.jsonl"), log));
  history.add(1, "a");
  history.add(2, "b");
  history.setOutput(2, "out");
  assert.deepEqual(history.tail(5).map((e) => [e.input, e.output]), [["a", undefined], ["b", "out"]]);
  assert.equal(messages.length, 1);
  assert.match(messages[0]!, /cannot write the history file .*in memory only/);
});

test("a history file that is a directory cannot be read: reported, not thrown", () => {
  const dir = tempDir();
  const { log, messages } = collecting();
  const history = new History(new HistoryFile(dir, log));
  history.add(1, "still works");
  assert.deepEqual(history.tail(1).map((e) => e.input), ["still works"]);
  assert.ok(messages.length >= 1 && messages.length <= 2, messages.join("\n"));
});

test("the history file is bounded: compacted to the newest entries", () => {
  const file = path.join(tempDir(), "history.jsonl");
  const rows: string[] = [];
  for (let i = 1; i <= 2 * MAX_HISTORY_ENTRIES + 5; i++) rows.push(JSON.stringify({ session: 1, line: i, input: `cell ${i}` }));
  fs.writeFileSync(file, `${rows.join("\n")}\n`);
  const history = new History(new HistoryFile(file));
  assert.equal(history.tail(MAX_HISTORY_ENTRIES + 10).length, MAX_HISTORY_ENTRIES);
  assert.equal(history.tail(1)[0]!.input, `cell ${2 * MAX_HISTORY_ENTRIES + 5}`);
  const lines = fs.readFileSync(file, "utf8").trim().split("\n").length;
  assert.ok(lines <= MAX_HISTORY_ENTRIES + 2, `${lines} lines after compaction`);
  for (let i = 1; i <= MAX_HISTORY_ENTRIES + 5; i++) history.add(i, `new ${i}`);
  const after = fs.readFileSync(file, "utf8").trim().split("\n").length;
  assert.ok(after <= 2 * MAX_HISTORY_ENTRIES + 2, `${after} lines: compacted again while appending`);
  assert.equal(new History(new HistoryFile(file)).tail(1)[0]!.input, `new ${MAX_HISTORY_ENTRIES + 5}`);
});
