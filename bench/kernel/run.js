#!/usr/bin/env node
// `npm run bench:kernel`: sets up the peers, then times tsgpu, tslab and ipykernel
// interleaved in one run (bench/kernel/measure.py) and writes
// bench/results/kernel-<date>.md.
//
// Peers live outside the project's dependencies:
//   bench/.venv   Python venv with ipykernel and jupyter_client (pinned below)
//   bench/.peers  npm prefix with tslab 1.0.22
// Options: --rounds N (default 5), --repeats N (default 100).
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..", "..");
const benchDir = path.join(root, "bench");
const venv = path.join(benchDir, ".venv");
const peersPrefix = path.join(benchDir, ".peers");
const PY_PEERS = ["ipykernel==7.4.0", "jupyter_client==8.10.0"];
const TSLAB = "tslab@1.0.22";

function log(message) {
  console.log(`[bench:kernel] ${message}`);
}

function ensurePythonPeers() {
  const python = path.join(venv, "bin", "python");
  const stamp = path.join(venv, ".bench-peers");
  const wanted = PY_PEERS.join(" ");
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === wanted) return python;
  if (!fs.existsSync(python)) {
    log(`creating ${path.relative(root, venv)}`);
    execFileSync("python3", ["-m", "venv", venv], { stdio: "inherit" });
  }
  log(`installing ${wanted}`);
  execFileSync(python, ["-m", "pip", "install", "--disable-pip-version-check", "-q", ...PY_PEERS], { stdio: "inherit" });
  fs.writeFileSync(stamp, wanted);
  return python;
}

function ensureTslab() {
  const main = path.join(peersPrefix, "node_modules", "tslab", "bin", "tslab");
  const pkg = path.join(peersPrefix, "node_modules", "tslab", "package.json");
  if (fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, "utf8")).version === TSLAB.split("@")[1]) return main;
  log(`installing ${TSLAB} into ${path.relative(root, peersPrefix)}`);
  fs.mkdirSync(peersPrefix, { recursive: true });
  execFileSync("npm", ["install", "--prefix", peersPrefix, "--no-save", "--no-audit", "--no-fund", TSLAB], {
    stdio: "inherit",
  });
  return main;
}

function option(name, fallback) {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? process.argv[index + 1] : fallback;
}

function main() {
  const cli = path.join(root, "build", "kernel", "cli", "main.js");
  if (!fs.existsSync(cli)) {
    console.error("bench:kernel: build/kernel/cli/main.js is missing; run `npx tsc -p tsconfig.json` first.");
    process.exit(1);
  }
  const python = ensurePythonPeers();
  const tslab = ensureTslab();
  const ipykernelVersion = execFileSync(python, ["-c", "import ipykernel; print(ipykernel.__version__)"]).toString().trim();
  const tsgpuVersion = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).version;
  const node = process.execPath;
  const peers = [
    { name: "tsgpu", argv: [node, path.join(root, "bin", "tsgpu.js"), "kernel", "--connection-file", "{connection_file}"], version: tsgpuVersion },
    { name: "tslab", argv: [node, tslab, "kernel", "--config-path", "{connection_file}"], version: TSLAB.split("@")[1] },
    { name: "ipykernel", argv: [python, "-m", "ipykernel_launcher", "-f", "{connection_file}"], version: ipykernelVersion, language: "python" },
  ];
  const date = new Date().toISOString().slice(0, 10);
  const out = option("out", path.join(benchDir, "results", `kernel-${date}.md`));
  execFileSync(
    python,
    [
      path.join(__dirname, "measure.py"),
      "--peers", JSON.stringify(peers),
      "--rounds", option("rounds", "5"),
      "--repeats", option("repeats", "100"),
      "--out", out,
    ],
    { stdio: "inherit", cwd: root },
  );
}

main();
