// Prints the npm `overrides` that pin every @jupyterlab/* package to the exact
// version a given JupyterLab release ships, read from that release's core
// package.json (the `resolutions` of @jupyterlab/core-meta's core.package.json,
// identical to `jupyterlab/staging/package.json` inside the Python wheel).
//
// Why: JupyterLab's packages depend on each other with caret ranges, so a plain
// `npm install @jupyterlab/notebook@4.5.11` pulls 4.6.x packages, and the
// registry reachable here lacks some of their patch versions (ETARGET). Pinning
// to the release's own versions also builds the extension against the oldest
// JupyterLab we support.
//
// Usage: node scripts/jupyterlab_overrides.js [core-package.json] [--apply]
//   default input: scripts/jupyterlab/core.package.json (see scripts/build_extension.js);
//   to move to another JupyterLab, copy its wheel's jupyterlab/staging/package.json there first
//   --apply: writes them with `npm pkg set overrides=... --json` (run under flock /tmp/npm.lock)
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const { findCorePackageJson } = require("./build_extension.js");

function overridesFrom(corePackage) {
  const overrides = {};
  for (const [name, range] of Object.entries(corePackage.resolutions ?? {})) {
    if (!name.startsWith("@jupyterlab/")) continue;
    const exact = String(range).replace(/^[~^]/, "");
    if (!/^\d+\.\d+\.\d+/.test(exact)) throw new Error(`unexpected range ${range} for ${name} in the core package.json`);
    overrides[name] = exact;
  }
  return overrides;
}

if (require.main === module) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith("--")) ?? findCorePackageJson();
  const overrides = overridesFrom(JSON.parse(fs.readFileSync(file, "utf8")));
  const json = JSON.stringify(overrides);
  if (args.includes("--apply")) {
    execFileSync("npm", ["pkg", "set", `overrides=${json}`, "--json"], { cwd: path.resolve(__dirname, ".."), stdio: "inherit" });
  } else {
    console.log(JSON.stringify(overrides, null, 2));
  }
}

module.exports = { overridesFrom };
