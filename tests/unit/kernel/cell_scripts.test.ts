import assert from "node:assert/strict";
import { test } from "node:test";
import { CellRecord, CellScripts, CELLS_KEPT, type CallFrame } from "../../../kernel/protocol/debugger/cell_scripts";

function frameIn(scriptId: string): CallFrame {
  return { callFrameId: "0", functionName: "", location: { scriptId, lineNumber: 0 }, scopeChain: [], this: { type: "undefined" } };
}

test("the debugger's cell records and script urls stay bounded over 10,000 cells", () => {
  const scripts = new CellScripts();
  for (let cell = 1; cell <= 10_000; cell++) {
    scripts.add(new CellRecord(cell, `/tmp/cell-${cell}.ts`, `${cell} + 1`, `${cell} + 1`, ""));
    scripts.scriptParsed(String(cell), `cell[${cell}]`);
    scripts.scriptParsed(`module-${cell % 3}`, "file:///lib.js");
  }
  assert.ok(scripts.size.cells <= CELLS_KEPT, `${scripts.size.cells} cells`);
  assert.ok(scripts.size.cellScripts <= CELLS_KEPT, `${scripts.size.cellScripts} cell scripts`);
  assert.ok(scripts.urls.size <= CELLS_KEPT + 3, `${scripts.urls.size} urls`);
  assert.equal(scripts.cellOf(frameIn("10000"))?.cellNumber, 10_000);
  assert.equal(scripts.cellOf(frameIn(String(10_000 - CELLS_KEPT + 1)))?.cellNumber, 10_000 - CELLS_KEPT + 1);
  assert.equal(scripts.cellOf(frameIn("1")), undefined);
  assert.ok(scripts.withPath("/tmp/cell-10000.ts").length === 1 && scripts.withPath("/tmp/cell-1.ts").length === 0);
});
