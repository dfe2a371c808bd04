/**
 * The execution child, driven as the kernel drives it but without Jupyter:
 * cells are prepared by the real rewrite and run in a real child process.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, before, test } from "node:test";
import { rewriteCell } from "../../../kernel/compiler/cell_rewrite";
import { ExecutionHost } from "../../../kernel/executor/execution_host";
import type { ChildToHost } from "../../../kernel/executor/child_protocol";

const folder = mkdtempSync(path.join(os.tmpdir(), "tsgpu-exec-"));
const host = new ExecutionHost(folder);
const events: { kind: string; value: unknown }[] = [];
let cellNumber = 0;
let results: ((message: ChildToHost) => void)[] = [];

before(() => {
  host.on("stream", (name, text) => events.push({ kind: name, value: text }));
  host.on("message", (message) => {
    events.push({ kind: message.type, value: message });
    if (message.type === "result") results.shift()?.(message);
  });
  host.start();
});
after(async () => {
  await host.stop();
  rmSync(folder, { recursive: true, force: true });
});

async function run(code: string): Promise<Extract<ChildToHost, { type: "result" }>> {
  const script = rewriteCell(code, `cell[${++cellNumber}].ts`);
  const done = new Promise<ChildToHost>((resolve) => results.push(resolve));
  host.send({ type: "run", id: cellNumber, cellNumber, code, body: script.body, sourceMap: script.sourceMap, returnsValue: script.returnsValue, declaredNames: [], userExpressions: {}, allowStdin: false });
  return (await done) as Extract<ChildToHost, { type: "result" }>;
}

/**
 * Resolves once an event matching `predicate` has arrived (or already had). Fails after
 * `hangLimitMs`: a guard against a hang, far above the expected wait, not a timing assertion.
 */
function eventArrives(predicate: (event: { kind: string; value: unknown }) => boolean, hangLimitMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const check = () => {
      if (events.some(predicate)) return resolve();
      if (Date.now() - started > hangLimitMs) return reject(new Error(`no matching event within ${hangLimitMs} ms: ${JSON.stringify(events).slice(0, 500)}`));
      setTimeout(check, 5);
    };
    check();
  });
}

const valueOf = (result: Extract<ChildToHost, { type: "result" }>) => (result.status === "ok" ? result.data?.["text/plain"] : result.error);

test("the warm-up the kernel asks for at start answers warmed_up and sends nothing else", async () => {
  host.send({ type: "warm_up", body: rewriteCell("0", "warm-up.ts").body });
  await eventArrives((event) => event.kind === "warmed_up");
  assert.deepEqual(events.map((event) => event.kind).filter((kind) => kind !== "ready"), ["warmed_up"]);
  // The first real cell runs after it and is cell 1 in its traceback.
  const failed = await run("throw new Error('first')");
  assert.equal(failed.status, "error");
  assert.match(failed.status === "error" ? failed.error.traceback.join("\n") : "", /cell\[1\]:1/);
});

test("the last expression's value comes back as text/plain", async () => {
  assert.equal(valueOf(await run("1 + 1")), "2");
  assert.equal(valueOf(await run("'a' + 'b'")), "'ab'");
});

test("const, let, class and function can be re-declared by later cells", async () => {
  await run("const x: number = 1; let y = 2; class A { v = 1 } function f() { return 'one'; }");
  await run("const x = 'again'; let y = 3; class A { v = 2 } function f() { return 'two'; }");
  assert.equal(valueOf(await run("[x, y, new A().v, f()]")), "[ 'again', 3, 2, 'two' ]");
});

test("destructuring declarations define every name", async () => {
  await run("const { a, b: [c, ...rest] } = { a: 1, b: [2, 3, 4] };");
  assert.equal(valueOf(await run("[a, c, rest]")), "[ 1, 2, [ 3, 4 ] ]");
});

test("function declarations are hoisted within their cell", async () => {
  assert.equal(valueOf(await run("const early = later(); function later() { return 7; } early")), "7");
});

test("top-level await works and keeps the value", async () => {
  assert.equal(valueOf(await run("const waited = await new Promise((r) => setTimeout(() => r(5), 10)); waited")), "5");
});

test("a runtime error reports the cell line it came from", async () => {
  const result = await run("const ok = 1;\n\nfunction explode(): never {\n  throw new RangeError('boom');\n}\nexplode();");
  assert.equal(result.status, "error");
  if (result.status !== "error") return;
  assert.equal(result.error.ename, "RangeError");
  assert.equal(result.error.evalue, "boom");
  assert.ok(result.error.traceback.some((line) => line.includes(`cell[${cellNumber}]:4:`)), result.error.traceback.join("\n"));
});

test("output printed before a display stays before it", async () => {
  events.length = 0;
  await run("console.log('first'); display.html('<b>second</b>'); console.log('third');");
  const order = events.filter((e) => e.kind === "stdout" || e.kind === "display").map((e) => (e.kind === "display" ? "display" : String(e.value).trim()));
  assert.deepEqual(order.filter(Boolean), ["first", "display", "third"]);
});

test("imports a CommonJS package, an ESM-only package and a relative .ts file from the notebook folder", async () => {
  const modules = path.join(folder, "node_modules");
  writeFileSync(path.join(folder, "package.json"), "{}");
  for (const [name, pkg, file, source] of [
    ["cjs-pkg", { name: "cjs-pkg", main: "index.js" }, "index.js", "exports.kind = 'cjs'; exports.default = undefined;"],
    ["esm-pkg", { name: "esm-pkg", type: "module", exports: { import: "./index.js" } }, "index.js", "export const kind = 'esm'; export default 'esm-default';"],
  ] as const) {
    const dir = path.join(modules, name);
    require("node:fs").mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg));
    writeFileSync(path.join(dir, file), source);
  }
  writeFileSync(path.join(folder, "util.ts"), "export const triple = (n: number): number => 3 * n;\n");
  const result = await run("import { kind as a } from 'cjs-pkg';\nimport esm, { kind as b } from 'esm-pkg';\nimport { triple } from './util';\n[a, b, esm, triple(2)]");
  assert.equal(valueOf(result), "[ 'cjs', 'esm', 'esm-default', 6 ]");
});

test("a missing package gives an error that says how to install it", async () => {
  const result = await run("import nothing from 'no-such-package-here';");
  assert.equal(result.status, "error");
  if (result.status === "error") assert.match(result.error.evalue, /npm install no-such-package-here/);
});

test("an exception thrown later by a timer is reported, not fatal", async () => {
  events.length = 0;
  await run("setTimeout(() => { throw new Error('late'); }, 5);");
  await eventArrives((e) => e.kind === "stderr" && String(e.value).includes("late"));
  assert.equal(valueOf(await run("'still alive'")), "'still alive'");
});

test("a value's own MIME bundle is used for display", async () => {
  const result = await run("({ [Symbol.for('Jupyter.display')]() { return { 'text/html': '<i>rich</i>' }; } })");
  assert.equal(result.status === "ok" && result.data?.["text/html"], "<i>rich</i>");
});

test("a cell's own `process` or `console` stays local to it, so the kernel and later cells keep Node's", async () => {
  events.length = 0;
  assert.equal(valueOf(await run("const process = { fake: true };\nconst console = 5;\n[process.fake, console]")), "[ true, 5 ]");
  assert.ok(events.some((e) => e.kind === "stderr" && /`process`, `console` are Node\.js globals/.test(String(e.value))));
  assert.equal(valueOf(await run("console.log('logged'); typeof process.version")), "'string'");
  assert.ok(events.some((e) => e.kind === "stdout" && String(e.value).includes("logged")));
});
