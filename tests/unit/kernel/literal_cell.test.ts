/**
 * Literal arithmetic cells skip the type check (kernel/compiler/literal_cell.ts):
 * every cell the grammar accepts must be one the real checker accepts, with the
 * value JavaScript gives it.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { literalExpressionSpan, prepareLiteralCell } from "../../../kernel/compiler/literal_cell";
import { NotebookService } from "../../../kernel/compiler/notebook_service";

const folder = mkdtempSync(path.join(os.tmpdir(), "tsgpu-literal-"));
after(() => rmSync(folder, { recursive: true, force: true }));
const typeRoots = [path.resolve(__dirname, "..", "..", "..", "..", "node_modules", "@types")];
const service = new NotebookService(folder, "export {};\n", typeRoots);

function valueOf(body: string): unknown {
  return (new Function(body)() as { value: unknown }).value;
}

test("accepts arithmetic over decimal number literals", () => {
  for (const code of ["17 * 2 + 5", "1 + 1", "(1.5 - 2) / 3e2;", "\n  -(4 % 3) * +2\n", "1 - -1", "0.25 * 1E+3", "1\n+ 2"]) {
    const prepared = prepareLiteralCell(code);
    assert.ok(prepared, code);
    assert.deepEqual(prepared.diagnostics, []);
    assert.equal(valueOf(prepared.body!), (0, eval)(code), code);
  }
});

test("refuses everything the checker or the parser could object to", () => {
  const refused = [
    "", "x + 1", "1 +", "(1 + 2", "1 + 2)", "2 ** 3", "-2 ** 2", "1 ++ 2", "1--2", "010", "00", "1_000", "1n + 1", "0x10",
    "1.", ".5", "1e", "1 2", "1;;", "1; 2", "// @ts-nocheck\n1", "1 /* c */ + 2", "'a' * 2", "1 + 1 as number", "1\n(2)", "Math.PI",
  ];
  for (const code of refused) assert.equal(literalExpressionSpan(code), undefined, code);
});

test("every accepted cell type-checks without diagnostics and evaluates as JavaScript does", () => {
  const pieces = ["0", "1", "17", "3.5", "1e3", "2E-2", "0.0", "+", "-", "*", "/", "%", "(", ")", " ", "\n", ";", "**", "01", "1n", "x", "//", "."];
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
  let accepted = 0;
  for (let attempt = 0; attempt < 4000 && accepted < 60; attempt++) {
    let code = "";
    for (let i = 1 + random(9); i > 0; i--) code += pieces[random(pieces.length)];
    const prepared = prepareLiteralCell(code);
    if (!prepared) continue;
    accepted++;
    assert.deepEqual(service.check(code).diagnostics, [], code);
    assert.ok(Object.is(valueOf(prepared.body!), (0, eval)(code)), code);
  }
  assert.ok(accepted >= 20, `only ${accepted} random cells were literal`);
});
