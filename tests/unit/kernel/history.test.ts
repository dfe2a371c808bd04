import assert from "node:assert/strict";
import { test } from "node:test";
import { History } from "../../../kernel/protocol/history";

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
