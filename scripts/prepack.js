// `npm pack` / `npm publish` run this first (the `prepack` script): it builds what
// the package's `files` list ships, from npm dependencies alone (no Python).
//
//   1. build/kernel/ emptied, then tsc -p tsconfig.json, so no output of a deleted
//      or moved source file is packed
//   2. the prebuilt JupyterLab extension (scripts/build_extension.js; skipped
//      when its inputs are unchanged)
//
// See docs/packaging.md.
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const started = Date.now();
const log = (message) => console.log(`[prepack] ${message}`);

try {
  fs.rmSync(path.join(root, "build", "kernel"), { recursive: true, force: true });
  log("compiling the kernel (tsc -p tsconfig.json)");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
  require("./build_extension.js").buildExtension({ log });
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`[prepack] failed: ${error.message.split("\n")[0]}`);
  process.exit(1);
}
