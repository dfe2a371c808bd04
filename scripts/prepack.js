// `npm pack` / `npm publish` run this first (the `prepack` script): it builds what
// the package's `files` list ships, from npm dependencies alone (no Python).
//
//   1. tsc -p tsconfig.json, then build/kernel/ pruned of outputs whose source
//      under kernel/ is gone (moved or deleted files), so none is packed. Pruned,
//      not emptied first: a kernel running from this checkout keeps working.
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

// Removes build/kernel/.../X.{js,d.ts,js.map} when kernel/.../X.ts does not exist; returns how many.
function pruneStaleOutputs(dir = path.join(root, "build", "kernel")) {
  let removed = 0;
  if (!fs.existsSync(dir)) return removed;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const output = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      removed += pruneStaleOutputs(output);
      if (fs.readdirSync(output).length === 0) fs.rmdirSync(output);
      continue;
    }
    const stem = entry.name.replace(/(\.d\.ts|\.js\.map|\.js)$/, "");
    const source = path.join(root, "kernel", path.relative(path.join(root, "build", "kernel"), dir), `${stem}.ts`);
    if (!fs.existsSync(source)) {
      fs.rmSync(output);
      removed++;
    }
  }
  return removed;
}

try {
  log("compiling the kernel (tsc -p tsconfig.json)");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
  const removed = pruneStaleOutputs();
  if (removed) log(`removed ${removed} file(s) of build/kernel/ whose source is gone`);
  require("./build_extension.js").buildExtension({ log });
  log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
} catch (error) {
  console.error(`[prepack] failed: ${error.message.split("\n")[0]}`);
  process.exit(1);
}
