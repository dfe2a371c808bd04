import assert from "node:assert/strict";
import { test } from "node:test";
import { rewriteCell } from "../../../kernel/compiler/cell_rewrite";
import { CellSources, RECENT_CELLS } from "../../../kernel/executor/cell_sources";
import { CellRunner } from "../../../kernel/executor/cell_runner";
import { ModuleLoader } from "../../../kernel/executor/module_loader";
import type { RunRequest } from "../../../kernel/executor/child_protocol";

// One real transpile: line 2 of the cell is line 2 of the body (no prelude), so mapping is checkable.
const FILLER = "const unused = 1;\nunused + 1";
const filler = rewriteCell(FILLER, "filler.ts");

function addFiller(sources: CellSources, cellNumber: number, declaredNames: string[] = []): void {
  sources.add({ cellNumber, code: FILLER, sourceMap: filler.sourceMap, bodyLines: filler.body.split("\n").length, declaredNames });
}

test("holds no more than the recent window over 10,000 cells that declare nothing", () => {
  const sources = new CellSources();
  for (let cell = 1; cell <= 10_000; cell++) {
    addFiller(sources, cell);
    assert.ok(sources.size <= RECENT_CELLS, `${sources.size} cells held after ${cell}`);
  }
  for (let cell = 10_000 - RECENT_CELLS + 1; cell <= 10_000; cell++) assert.ok(sources.has(cell), `recent cell ${cell} was forgotten`);
  assert.ok(sources.position(10_000, 2, 1), "the newest cell no longer maps");
  assert.equal(sources.sourceLine(10_000 - RECENT_CELLS + 1, 2), "unused + 1");
  assert.equal(sources.has(10_000 - RECENT_CELLS), false);
});

test("grows with the names declared, not with the cells run", () => {
  const sources = new CellSources();
  // 10,000 cells cycling through 50 names, as a notebook re-running the same declarations does.
  for (let cell = 1; cell <= 10_000; cell++) addFiller(sources, cell, [`value${cell % 50}`]);
  assert.ok(sources.size <= RECENT_CELLS, `${sources.size} cells held`);
  // 10,000 cells each declaring a name of its own: every one is still the latest definition.
  const declaring = new CellSources();
  for (let cell = 1; cell <= 2_000; cell++) addFiller(declaring, cell, [`name${cell}`]);
  assert.equal(declaring.size, 2_000);
});

test("keeps an old cell while it holds the latest declaration of a name, and forgets it once redeclared", () => {
  const sources = new CellSources();
  addFiller(sources, 1, ["helper"]);
  for (let cell = 2; cell <= 5_000; cell++) addFiller(sources, cell);
  assert.ok(sources.has(1), "the cell declaring helper was forgotten");
  assert.ok(sources.position(1, 2, 1), "the cell declaring helper no longer maps");
  assert.equal(sources.describeForgotten(1), undefined);
  assert.ok(sources.size <= RECENT_CELLS + 1);
  addFiller(sources, 5_001, ["helper"]);
  assert.equal(sources.has(1), false);
  assert.match(sources.describeForgotten(1) ?? "", /cell\[1\] is too old to map/);
  assert.equal(sources.describeForgotten(9_999), undefined, "a cell never run here is not called forgotten");
});

test("a cell number run again replaces the earlier run", () => {
  const sources = new CellSources();
  addFiller(sources, 1);
  sources.add({ cellNumber: 1, code: "a\nb\nc", sourceMap: "", bodyLines: 3 });
  assert.equal(sources.sourceLine(1, 3), "c");
  for (let cell = 2; cell <= RECENT_CELLS; cell++) addFiller(sources, cell);
  assert.ok(sources.has(1));
  addFiller(sources, RECENT_CELLS + 1);
  assert.equal(sources.has(1), false);
});

// -- through the real runner: what a user sees in a traceback ------------------------------
function request(cellNumber: number, code: string, declaredNames: string[] = []): RunRequest {
  const script = rewriteCell(code, `cell[${cellNumber}].ts`);
  return { type: "run", id: cellNumber, cellNumber, code, body: script.body, sourceMap: script.sourceMap, returnsValue: script.returnsValue, declaredNames, userExpressions: {}, allowStdin: false };
}

test("the runner's warm-up keeps no cell source and leaves no global behind", async () => {
  const runner = new CellRunner(new ModuleLoader(process.cwd()));
  const globalsBefore = Reflect.ownKeys(globalThis).length;
  await runner.warmUp(rewriteCell("0", "warm-up.ts").body);
  assert.equal(runner.sources.size, 0);
  assert.equal(Reflect.ownKeys(globalThis).length, globalsBefore);
});

test("an error from a function declared hundreds of cells earlier maps to its line; one from a forgotten cell says it is too old", async () => {
  const runner = new CellRunner(new ModuleLoader(process.cwd()));
  const declaring = request(1, "function failDeep(): never {\n  throw new Error('deep');\n}", ["failDeep"]);
  assert.equal((await runner.run(declaring)).status, "ok");
  const anonymous = request(2, "(globalThis as any).failAnonymous = () => {\n  throw new Error('anonymous');\n};");
  assert.equal((await runner.run(anonymous)).status, "ok");
  const fillerRequest = request(3, FILLER);
  for (let cell = 3; cell <= RECENT_CELLS + 10; cell++) {
    assert.equal((await runner.run({ ...fillerRequest, id: cell, cellNumber: cell })).status, "ok");
  }
  assert.ok(runner.sources.size <= RECENT_CELLS + 1, `${runner.sources.size} cells held`);

  const deep = await runner.run(request(RECENT_CELLS + 11, "failDeep()"));
  assert.equal(deep.status, "error");
  const deepTrace = deep.status === "error" ? deep.error.traceback.join("\n") : "";
  assert.match(deepTrace, /cell\[1\]:2:\d+/, deepTrace);
  assert.match(deepTrace, /throw new Error\('deep'\)/, deepTrace);

  const old = await runner.run(request(RECENT_CELLS + 12, "(globalThis as any).failAnonymous()"));
  assert.equal(old.status, "error");
  const oldTrace = old.status === "error" ? old.error.traceback.join("\n") : "";
  assert.match(oldTrace, /cell\[2\]:\d+:\d+\).*too old to map/, oldTrace);
  delete (globalThis as Record<string, unknown>).failAnonymous;
  delete (globalThis as Record<string, unknown>).failDeep;
});
