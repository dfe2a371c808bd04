// The layer rule: which part of the tree may import which. This file is the one
// place where the allowed directions are written; `checkLayers()` reads every
// import of the TypeScript sources (static, type-only, `require()` and dynamic
// `import()`) and reports each one that goes against them. `npm test` runs it
// (tests/unit/architecture/layers.test.ts); `node scripts/layers.js` prints
// the violations and exits 1 when there are any.
//
// A file belongs to the first layer whose folder (or file) is a prefix of its
// path. Imports inside one layer are always allowed; packages from
// node_modules are not checked.
"use strict";
const fs = require("node:fs");
const path = require("node:path");

/** Top to bottom. `may` lists the layers a layer may import. */
const LAYERS = [
  // Tests and benchmarks sit on top; benchmarks never reach into tests.
  { name: "tests", paths: ["tests/"], may: ["*"] },
  { name: "bench", paths: ["bench/"], may: ["*", "!tests"] },
  // The JupyterLab extension (browser): shares only the pure chart code and the message contracts.
  { name: "extension", paths: ["src/"], may: ["charts", "contracts"] },
  // The `tsgpu` command and the kernel process.
  { name: "cli", paths: ["kernel/cli/"], may: ["protocol", "transport", "compiler-api", "executor", "monitor", "tensor", "device", "backends", "fused", "runtime", "contracts", "util", "packages"] },
  { name: "protocol", paths: ["kernel/protocol/"], may: ["transport", "compiler-api", "executor", "runtime", "contracts", "util", "packages"] },
  { name: "transport", paths: ["kernel/transport/"], may: ["util"] },
  // Cell execution: the CellExecutor interface, its implementation over the compiler worker and
  // the execution child, and the child itself. It talks to the compiler only through the
  // compiler's API (messages, the worker client, the cell wrapper), never the TypeScript service,
  // and knows nothing of tensors or devices (those register through executor/hooks.ts).
  { name: "executor", paths: ["kernel/executor/"], may: ["compiler-api", "runtime", "contracts", "util", "packages"] },
  { name: "compiler-api", paths: ["kernel/compiler/requests.ts", "kernel/compiler/compiler_client.ts", "kernel/compiler/cell_script.ts", "kernel/compiler/code_points.ts", "kernel/compiler/literal_cell.ts"], may: ["compiler"] },
  { name: "compiler", paths: ["kernel/compiler/"], may: ["compiler-api", "util", "packages"] },
  // The public API (`import ... from "tsgpu"`) and what it assembles.
  { name: "api", paths: ["kernel/index.ts"], may: ["gpt", "monitor", "tensor", "device", "runtime", "contracts", "util"] },
  { name: "gpt", paths: ["kernel/gpt/"], may: ["tensor", "fused", "runtime", "contracts", "util"] },
  // Above device/ and tensor/: the full snapshot, devices(), what the kernel adds to the execution child.
  { name: "monitor", paths: ["kernel/monitor/"], may: ["executor", "tensor", "fused", "device", "runtime", "contracts", "util"] },
  // The tensor runtime: the only layer that imports the backends.
  { name: "tensor", paths: ["kernel/tensor/"], may: ["backends", "fused", "charts", "device", "runtime", "contracts", "util"] },
  { name: "backends", paths: ["kernel/backends/"], may: ["fused", "util"] },
  { name: "fused", paths: ["kernel/fused/"], may: ["util"] },
  { name: "device", paths: ["kernel/device/"], may: ["runtime", "contracts", "util"] },
  { name: "charts", paths: ["kernel/charts/"], may: [] },
  // What cells and libraries use (display, comms, stdin) and the contracts with the front end.
  { name: "contracts", paths: ["kernel/runtime/mime_types.ts", "kernel/runtime/device_snapshot.ts"], may: [] },
  { name: "runtime", paths: ["kernel/runtime/"], may: ["contracts", "util"] },
  { name: "packages", paths: ["kernel/bundled_packages.ts"], may: [] },
  { name: "util", paths: ["kernel/util/"], may: [] },
];

/** Folders whose sources are checked. */
const ROOTS = ["kernel", "src", "bench", "tests"];
const SOURCE = /\.(ts|tsx|js|mjs|cjs)$/;
const EXTENSIONS = ["", ".ts", ".tsx", ".js", "/index.ts", "/index.js"];

/** The layer a repository-relative path belongs to, or undefined. */
function layerOf(relativePath, layers = LAYERS) {
  return layers.find((layer) => layer.paths.some((prefix) => relativePath === prefix || relativePath.startsWith(prefix)));
}

/** True when `from` may import `to` under `layers`. */
function allowed(from, to, layers = LAYERS) {
  if (from.name === to.name) return true;
  if (from.may.includes(`!${to.name}`)) return false;
  return from.may.includes("*") || from.may.includes(to.name);
}

/** Relative import specifiers of a source text (static, type-only, require, dynamic import). */
function importsOf(text) {
  const ts = require("typescript");
  return ts.preProcessFile(text, true, true).importedFiles.map((file) => file.fileName).filter((name) => name.startsWith("."));
}

/** Resolves a relative specifier to a repository-relative path (extension guessed as TypeScript does). */
function resolveSpecifier(root, fromFile, specifier) {
  const base = path.resolve(root, path.dirname(fromFile), specifier.replace(/\.js$/, ""));
  for (const extension of EXTENSIONS) {
    const candidate = base + extension;
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(root, candidate).split(path.sep).join("/");
  }
  return path.relative(root, base).split(path.sep).join("/");
}

function sourceFiles(root) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const relative = `${dir}/${entry.name}`;
      if (entry.isDirectory()) {
        if (entry.name !== "node_modules" && !entry.name.startsWith(".") && entry.name !== "artifacts") walk(relative);
      } else if (SOURCE.test(entry.name) && !entry.name.endsWith(".d.ts")) files.push(relative);
    }
  };
  for (const dir of ROOTS) if (fs.existsSync(path.join(root, dir))) walk(dir);
  return files;
}

/**
 * Every import that breaks the rule, as `{ file, imports, from, to }`.
 * `graph` (file -> imported repository-relative paths) can be given directly,
 * which is how the tests show that a wrong import is caught.
 */
function checkLayers({ root = path.resolve(__dirname, ".."), graph, layers = LAYERS } = {}) {
  const edges = graph ?? Object.fromEntries(sourceFiles(root).map((file) => [file, importsOf(fs.readFileSync(path.join(root, file), "utf8")).map((s) => resolveSpecifier(root, file, s))]));
  const violations = [];
  for (const [file, targets] of Object.entries(edges)) {
    const from = layerOf(file, layers);
    if (!from) continue;
    for (const target of targets) {
      const to = layerOf(target, layers);
      if (to && !allowed(from, to, layers)) violations.push({ file, imports: target, from: from.name, to: to.name });
    }
  }
  return violations;
}

module.exports = { LAYERS, layerOf, allowed, checkLayers };

if (require.main === module) {
  const violations = checkLayers();
  for (const v of violations) console.log(`${v.file} imports ${v.imports}: layer "${v.from}" may not import "${v.to}" (rules in scripts/layers.js)`);
  console.log(violations.length ? `${violations.length} imports break the layer rule` : "layer rule: every import goes downward");
  process.exitCode = violations.length ? 1 : 0;
}
