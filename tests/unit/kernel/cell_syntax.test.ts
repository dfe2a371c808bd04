import assert from "node:assert/strict";
import { test } from "node:test";
import { analyzeCell, toExportedOffset, toOriginalOffset } from "../../../kernel/compiler/cell_syntax";

test("collects every top-level name a cell declares", () => {
  const syntax = analyzeCell(`import fs, { join as j, type Stats } from "node:fs";
import * as path from "node:path";
import os = require("node:os");
const a = 1, { b, c: [d, ...e] } = obj;
function f() {}
class C {}
interface I {}
type T = number;
enum E { A }
namespace N {}
if (a) { const inner = 2; }`);
  assert.deepEqual([...syntax.declaredNames].sort(), ["C", "E", "I", "N", "Stats", "T", "a", "b", "d", "e", "f", "fs", "j", "os", "path"].sort());
});

test("keeps one import statement per binding", () => {
  const syntax = analyzeCell(`import def, { x as y } from "m";`);
  assert.deepEqual(syntax.imports.map((i) => i.name), ["def", "y"]);
  assert.ok(syntax.imports.every((i) => i.statement.includes('"m"')));
});

test("offsets map between the cell and its exported form in both directions", () => {
  const code = "const a = 1;\nlet b = a;\nb + 1";
  const syntax = analyzeCell(code);
  assert.equal(syntax.exportInsertions.length, 2);
  for (let offset = 0; offset <= code.length; offset++) {
    const exported = toExportedOffset(syntax, offset);
    assert.equal(syntax.exportedText[exported], code[offset], `offset ${offset}`);
    assert.equal(toOriginalOffset(syntax, exported), offset);
  }
});

test("recognises the @ts-nocheck opt-out only on the first line", () => {
  assert.equal(analyzeCell("// @ts-nocheck\nconst x: number = 's'").noCheck, true);
  assert.equal(analyzeCell("const x = 1;\n// @ts-nocheck").noCheck, false);
});
