import assert from "node:assert/strict";
import { test } from "node:test";
import { codePointsToUtf16, utf16ToCodePoints } from "../../../kernel/compiler/code_points";

test("cursor_pos counts code points, not UTF-16 units", () => {
  const text = "const s = '😀😀'; s.len";
  const codePoints = [...text].length;
  assert.equal(codePointsToUtf16(text, codePoints), text.length);
  assert.equal(utf16ToCodePoints(text, text.length), codePoints);
  assert.equal(codePoints, text.length - 2);
});

test("positions before any astral character are unchanged", () => {
  assert.equal(codePointsToUtf16("abc😀", 2), 2);
  assert.equal(utf16ToCodePoints("abc😀", 2), 2);
});
