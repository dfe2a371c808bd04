// `npm test`: sets up what the tests need, then runs every tier that needs no GPU.
//   1. npm dependencies (npm ci when node_modules is missing or stale)
//   2. Debian packages (as root): chromium, OpenBLAS, Mesa  (scripts/system_deps.js)
//   3. the Python tools in .venv (scripts/python_env.js)
//   4. build: TypeScript (tsc, strict, must be clean) and the JupyterLab extension
//   5. tiers: unit (node --test), kernel protocol (pytest + jupyter_kernel_test + nbclient), browser
// Options: `npm test -- unit kernel browser` runs only the named tiers.
"use strict";
const { spawnSync, execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
process.chdir(root);
const log = (message) => console.log(`\n=== ${message}`);

function sh(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: "inherit", cwd: root, ...options });
  return result.status === 0;
}

function ensureNodeModules() {
  const lock = path.join(root, "package-lock.json");
  const marker = path.join(root, "node_modules", ".package-lock.json");
  const stale = !fs.existsSync(marker) || fs.statSync(lock).mtimeMs > fs.statSync(marker).mtimeMs + 1000;
  if (!stale) return;
  log("npm ci");
  if (!sh("npm", ["ci", "--no-audit", "--no-fund"])) throw new Error("npm ci failed");
}

function build() {
  log("build: tsc -p tsconfig.json");
  if (!sh(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"])) throw new Error("TypeScript build failed (see errors above)");
  if (fs.existsSync(path.join(root, "scripts", "build_extension.js"))) {
    log("build: JupyterLab extension");
    if (!sh(process.execPath, ["scripts/build_extension.js"])) throw new Error("JupyterLab extension build failed");
  }
}

function unitTestFiles() {
  const files = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".test.js")) files.push(full);
    }
  };
  walk(path.join(root, "build", "tests", "unit"));
  return files.sort();
}

const tiers = {
  unit: () => sh(process.execPath, ["--test", "--test-concurrency=1", ...unitTestFiles()]),
  kernel: (python) => sh(python, ["-m", "pytest", "tests/kernel", "-q", "-p", "no:cacheprovider"]),
  browser: () => (fs.existsSync(path.join(root, "tests", "browser", "run.js")) ? sh(process.execPath, ["tests/browser/run.js"]) : true),
};

function main() {
  const wanted = process.argv.slice(2).filter((arg) => arg in tiers);
  const selected = wanted.length ? wanted : Object.keys(tiers);
  ensureNodeModules();
  require("./system_deps").ensureSystemPackages();
  // The extension builds from npm alone (scripts/jupyterlab/core.package.json); the venv is for the tests.
  const python = require("./python_env").ensurePythonEnv();
  build();
  // Make the venv's jupyter the one tests find first.
  process.env.PATH = `${path.dirname(python)}${path.delimiter}${process.env.PATH}`;
  const outcome = [];
  for (const name of selected) {
    log(`tier: ${name}`);
    const started = Date.now();
    const ok = tiers[name](python);
    outcome.push({ name, ok, seconds: (Date.now() - started) / 1000 });
  }
  log("summary");
  for (const t of outcome) console.log(`${t.ok ? "ok    " : "FAILED"} ${t.name} (${t.seconds.toFixed(0)} s)`);
  const failed = outcome.filter((t) => !t.ok).length;
  console.log(`tiers: ${outcome.length - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}

try {
  main();
} catch (error) {
  console.error(`npm test: ${error.message}`);
  process.exitCode = 1;
}
