// `npm run notebooks [-- --quick] [names...]`: runs every bundled notebook (or those named)
// on the tsgpu kernel with nbclient and writes the outputs back into notebooks/*.ipynb,
// with the machine named in each notebook's metadata and results table.
//
// Full mode trains on all of MNIST and times every backend; it is what the committed
// outputs come from. --quick uses the CI sizes (2,048 images, cpu-blas/cuda for the CNN,
// ResNet-50 at batch 2, a tiny GPT for a few steps) to check that the notebooks run; do not commit its outputs.
"use strict";
const { execFileSync, spawnSync } = require("node:child_process");
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { ensurePythonEnv } = require("./python_env.js");

const root = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const quick = args.includes("--quick");
const names = args.filter((a) => !a.startsWith("--"));
const notebooks = fs.readdirSync(path.join(root, "notebooks")).filter((f) => f.endsWith(".ipynb")).sort()
  .filter((f) => names.length === 0 || names.some((n) => f.startsWith(n)))
  .map((f) => path.join("notebooks", f));
if (notebooks.length === 0) {
  console.error(`no notebook in notebooks/ matches ${names.join(", ")}`);
  process.exit(2);
}

const python = ensurePythonEnv({ quiet: true });
if (!fs.existsSync(path.join(root, "build", "kernel", "index.js"))) {
  console.log("building the kernel (npx tsc -p tsconfig.json)");
  execFileSync(process.execPath, [require.resolve("typescript/bin/tsc"), "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
}

// A private kernelspec, so the run never depends on (or changes) the user's Jupyter setup.
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "tsgpu-notebooks-"));
try {
  const prefix = path.join(tmp, "prefix");
  execFileSync(process.execPath, [path.join(root, "bin", "tsgpu.js"), "install", "--prefix", prefix], { cwd: root, stdio: "ignore" });
  const machine = execFileSync(process.execPath, ["-e", "require('./build/kernel/index.js').machineName().then((m) => process.stdout.write(m))"], { cwd: root, encoding: "utf8" });
  const env = {
    ...process.env,
    JUPYTER_PATH: path.join(prefix, "share", "jupyter"),
    JUPYTER_RUNTIME_DIR: path.join(tmp, "runtime"),
    JUPYTER_CONFIG_DIR: path.join(tmp, "config"),
    JUPYTER_DATA_DIR: path.join(tmp, "data"),
    NO_COLOR: "1",
  };
  if (quick) {
    Object.assign(env, { TSGPU_NOTEBOOK_SAMPLES: "2048", TSGPU_NOTEBOOK_BACKENDS: "cpu-blas,cuda", TSGPU_NOTEBOOK_RESNET_BATCH: "2", TSGPU_NOTEBOOK_QUICK: "1" });
  }
  console.log(`running ${notebooks.length} notebook(s) on ${machine} (${quick ? "quick" : "full"})`);
  const started = Date.now();
  const result = spawnSync(python, [path.join(root, "scripts", "run_notebooks.py"), machine, quick ? "quick" : "full", ...notebooks], { cwd: root, env, stdio: "inherit" });
  console.log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  process.exitCode = result.status ?? 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
