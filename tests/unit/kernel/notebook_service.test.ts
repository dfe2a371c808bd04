import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { after, test } from "node:test";
import { NotebookService } from "../../../kernel/compiler/notebook_service";

const folder = mkdtempSync(path.join(os.tmpdir(), "tsgpu-notebook-"));
after(() => rmSync(folder, { recursive: true, force: true }));
const typeRoots = [path.resolve(__dirname, "..", "..", "..", "..", "node_modules", "@types")];
const service = new NotebookService(folder, "export {};\ndeclare global { var display: (value: unknown) => void; }\n", typeRoots);

/** Checks a cell and, like the kernel when it runs one, records its declarations. */
function run(code: string) {
  const result = service.check(code);
  if (!result.diagnostics.some((d) => d.category === "error")) service.commitLastChecked();
  return result.diagnostics;
}

test("reports a type error with the cell's own line and column", () => {
  const [error] = run("const ok = 1;\nconst bad: number = 'text';");
  assert.equal(error?.code, 2322);
  assert.equal(error?.line, 1);
  assert.equal(error?.column, 6);
});

test("later cells see earlier declarations with their types", () => {
  assert.deepEqual(run("const count = 41;\nfunction twice(n: number) { return 2 * n; }\nclass Box { constructor(readonly value: string) {} }"), []);
  assert.deepEqual(run("twice(count) + new Box('a').value.length"), []);
  const [error] = run("twice(new Box('a').value)");
  assert.equal(error?.code, 2345);
});

test("a cell may re-declare a name with a new type", () => {
  assert.deepEqual(run("const shape = 'round';"), []);
  assert.deepEqual(run("const shape = { sides: 3 };"), []);
  assert.deepEqual(run("shape.sides + 1"), []);
});

test("imports of earlier cells stay in scope", () => {
  assert.deepEqual(run("import * as path from 'node:path';"), []);
  assert.deepEqual(run("path.join('a', 'b').toUpperCase()"), []);
});

test("a relative TypeScript file is checked with its exported types", () => {
  writeFileSync(path.join(folder, "helper.ts"), "export const half = (n: number) => n / 2;\n");
  assert.deepEqual(run("import { half } from './helper';\nhalf(4)"), []);
  assert.equal(run("half('4')")[0]?.code, 2345);
});

test("Node's globals and the web APIs Node has are known without a tsconfig", () => {
  assert.deepEqual(run("console.log(process.version); setTimeout(() => {}, 1); fetch; Buffer.from('a')"), []);
  assert.deepEqual(run("new URL('http://a/?q=1').searchParams.get('q'); new TextEncoder().encode('a'); structuredClone({ a: 1 }); new AbortController(); performance.now(); new Blob(['a']).size"), []);
  assert.deepEqual(run("const wasm: Promise<WebAssembly.Module> = WebAssembly.compile(new Uint8Array(8));"), []);
});

test("the DOM's globals are not declared without a tsconfig or a lib reference", () => {
  assert.deepEqual(run("document.title").map((d) => d.code), [2584]);
});

test("cells importing tfjs check without the DOM lib, its browser helpers included", () => {
  assert.deepEqual(run("import * as tf from '@tensorflow/tfjs';\nconst doubled = tf.tensor([1, 2]).mul(2);"), []);
  assert.deepEqual(run("const pixels: tf.Tensor3D = tf.browser.fromPixels({ data: new Uint8Array(4), width: 1, height: 1 });\ndoubled.dataSync()[0]"), []);
  assert.equal(run("const wrong: string = doubled;")[0]?.code, 2322);
});

test("top-level await type-checks", () => {
  assert.deepEqual(run("const v = await Promise.resolve(3);\nv.toFixed()"), []);
});

test("// @ts-nocheck skips type errors but not syntax errors", () => {
  assert.deepEqual(run("// @ts-nocheck\nconst n: number = 'x';"), []);
  assert.ok(run("// @ts-nocheck\nconst = ;").length > 0);
});

test("completes members from the type of an earlier cell's value", () => {
  run("const greeting = 'hello';");
  const code = "greeting.toUp";
  const { entries, replaceStart, replaceEnd } = service.completions(code, code.length);
  assert.deepEqual(entries.map((e) => e.name), ["toUpperCase"]);
  assert.equal(replaceStart, "greeting.".length);
  assert.equal(replaceEnd, code.length);
});

test("inspects the symbol under the cursor with its documentation", () => {
  const info = service.inspect("Math.max(1, 2)", 6);
  assert.match(info?.signature ?? "", /max\(\.\.\.values: number\[\]\): number/);
  assert.match(info?.documentation ?? "", /larger/);
});

test("respects a tsconfig.json beside the notebook", () => {
  const strictFolder = mkdtempSync(path.join(os.tmpdir(), "tsgpu-tsconfig-"));
  try {
    writeFileSync(path.join(strictFolder, "tsconfig.json"), JSON.stringify({ compilerOptions: { strict: false } }));
    const loose = new NotebookService(strictFolder, "export {};\n", typeRoots);
    assert.deepEqual(loose.check("function f(x) { return x; }").diagnostics.filter((d) => d.category === "error"), []);
    assert.equal(service.check("function f(x) { return x; }").diagnostics[0]?.code, 7006);
  } finally {
    rmSync(strictFolder, { recursive: true, force: true });
  }
});

test("a cell's declaration of a Node global does not change its type for later cells", () => {
  assert.deepEqual(run("const process = { fake: true };\nprocess.fake"), []);
  assert.deepEqual(run("process.version.length"), []);
});

test("a type error in a new cell is still found after many distinct cells", () => {
  for (let n = 0; n < 30; n++) assert.deepEqual(run(`Math.max(${n}, 2) * 2`), []);
  assert.equal(run("Math.max('a', 2)")[0]?.code, 2345);
});

test("a re-declared name gets its new type after many distinct cells", () => {
  assert.deepEqual(run("let counted = 1;"), []);
  for (let n = 0; n < 10; n++) assert.deepEqual(run(`counted + ${n}`), []);
  assert.deepEqual(run("let counted = 'one';"), []);
  assert.equal(run("counted * 2")[0]?.code, 2362);
  assert.deepEqual(run("counted.length"), []);
});

test("a package installed after a failed import resolves once the file system is refreshed", () => {
  assert.equal(run("import { late } from 'late-package';")[0]?.code, 2307);
  const packageFolder = path.join(folder, "node_modules", "late-package");
  mkdirSync(packageFolder, { recursive: true });
  writeFileSync(path.join(packageFolder, "package.json"), JSON.stringify({ name: "late-package", version: "1.0.0", types: "index.d.ts" }));
  writeFileSync(path.join(packageFolder, "index.d.ts"), "export declare const late: number;\n");
  service.refreshFileSystem();
  assert.deepEqual(run("import { late } from 'late-package';\nlate.toFixed()"), []);
});

test("completion signatures read as TypeScript's completion details", () => {
  run("function halve(n: number) { return n / 2; }\nconst label = 'x';");
  const detail = (code: string, name: string) => {
    const entry = service.completions(code, code.length).entries.find((e) => e.name === name)!;
    return service.completionDetail(code, code.length, entry);
  };
  assert.equal(detail("Math.ma", "max"), "(method) Math.max(...values: number[]): number");
  assert.equal(detail("halv", "halve"), "function halve(n: number): number");
  assert.equal(detail("labe", "label"), 'const label: "x"');
  assert.equal(detail("'a'.toUp", "toUpperCase"), "(method) String.toUpperCase(): string");
});

test("a cell's /// <reference lib=\"dom\" /> brings the DOM's types to it and to the cells after it", () => {
  const domService = new NotebookService(folder, "export {};\n", typeRoots);
  const check = (code: string) => {
    const { diagnostics } = domService.check(code);
    if (!diagnostics.some((d) => d.category === "error")) domService.commitLastChecked();
    return diagnostics.map((d) => d.code);
  };
  assert.deepEqual(check("const before = 1;"), []);
  assert.deepEqual(check("/// <reference lib=\"dom\" />\nconst title: string = document.title;"), []);
  assert.deepEqual(check("const canvas: HTMLCanvasElement = document.createElement('canvas');\nWebAssembly.validate(new Uint8Array(8)) && before + title.length"), []);
  assert.deepEqual(check("const n: number = document.title;"), [2322]);
});

test("a lib reference to an unknown lib is an error on the cell's own line, after earlier cells too", () => {
  const [first] = run("/// <reference lib=\"nosuchlib\" />\nconst afterUnknownLib = 1;");
  assert.deepEqual([first?.code, first?.line], [2726, 0]);
  assert.deepEqual(run("const beforeUnknownLib = 1;"), []);
  const found = run("// a comment first\n/// <reference lib=\"nosuchlib2\" />\nbeforeUnknownLib");
  assert.deepEqual(found.map((d) => [d.code, d.line]), [[2726, 1]]);
});
