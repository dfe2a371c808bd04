// `npm start`: sets up what is missing and opens JupyterLab on notebooks/.
//
//   1. npm dependencies, when node_modules is absent (npm ci)
//   2. the Python environment .venv with the pinned JupyterLab (scripts/python_env.js)
//   3. the kernel (tsc -p tsconfig.json) and the prebuilt extension
//      (scripts/build_extension.js), each only when its sources changed
//   4. the tsgpu kernelspec and the extension into .venv's data directory
//   5. `jupyter lab` on notebooks/, bound to 127.0.0.1, with a random token
//
// Extra arguments go to `jupyter lab`: `npm start -- --no-browser --port 9999`.
// A second run with nothing changed starts in a few seconds.
"use strict";
const { execFileSync, spawn } = require("node:child_process");
const { createHash, randomBytes } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");
const { choosePort } = require("./ports.js");

const root = path.resolve(__dirname, "..");
const started = Date.now();
const log = (message) => console.log(`[start] ${message}`);

function listFiles(dir, filter) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? listFiles(full, filter) : filter(full) ? [full] : [];
  });
}

function ensureNodeModules() {
  if (fs.existsSync(path.join(root, "node_modules", ".package-lock.json"))) return;
  log("installing npm dependencies (npm ci)");
  execFileSync("npm", ["ci", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
}

/** Compiles the kernel when a .ts file under kernel/ (or the tsconfig) changed since the last build. */
function buildKernel() {
  const stamp = path.join(root, "build", ".kernel-input-hash");
  const hash = createHash("sha256");
  const files = [...listFiles(path.join(root, "kernel"), (f) => f.endsWith(".ts")), path.join(root, "tsconfig.json"), path.join(root, "package.json")].sort();
  for (const file of files) hash.update(path.relative(root, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  const digest = hash.digest("hex");
  const main = path.join(root, "build", "kernel", "cli", "main.js");
  if (fs.existsSync(main) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === digest) {
    log("kernel up to date");
    return;
  }
  log("compiling the kernel (tsc -p tsconfig.json)");
  try {
    execFileSync(process.execPath, [require.resolve("typescript/bin/tsc", { paths: [root] }), "-p", path.join(root, "tsconfig.json")], { cwd: root, stdio: "inherit" });
  } catch {
    // tsc still emits JavaScript when some file has type errors.
    if (!fs.existsSync(main)) throw new Error("the kernel did not compile (see the errors above): build/kernel/cli/main.js is missing");
    log("warning: tsc reported type errors (above); starting with the JavaScript it emitted");
  }
  fs.writeFileSync(stamp, digest);
}

/** Writes the kernelspec and the extension into `<venv>/share/jupyter`. */
function installIntoVenv(venv) {
  const tsgpu = path.join(root, "bin", "tsgpu.js");
  // `--prefix <venv>` is the venv's sys-prefix data dir; it writes the kernelspec and copies build/labextension.
  execFileSync(process.execPath, [tsgpu, "install", "--prefix", venv], { cwd: root, stdio: "inherit", env: venvEnv(venv) });
}

function venvEnv(venv) {
  const env = { ...process.env, VIRTUAL_ENV: venv, PATH: `${path.join(venv, "bin")}${path.delimiter}${process.env.PATH ?? ""}` };
  delete env.PYTHONHOME;
  return env;
}

async function main() {
  const extraArgs = process.argv.slice(2);
  ensureNodeModules();
  const { ensurePythonEnv, venv } = require("./python_env.js");
  ensurePythonEnv();
  buildKernel();
  require("./build_extension.js").buildExtension({ log });
  installIntoVenv(venv);

  const notebooks = path.join(root, "notebooks");
  fs.mkdirSync(notebooks, { recursive: true });
  const portIndex = extraArgs.findIndex((a) => a === "--port" || a.startsWith("--port="));
  const givenPort = portIndex < 0 ? undefined : extraArgs[portIndex].includes("=") ? extraArgs[portIndex].split("=")[1] : extraArgs[portIndex + 1];
  if (portIndex >= 0 && !/^\d+$/.test(givenPort ?? "")) throw new Error(`--port needs a number, got ${JSON.stringify(givenPort)}`);
  const port = givenPort === undefined ? await choosePort(8888) : undefined;
  const token = process.env.TSGPU_TOKEN || randomBytes(24).toString("hex");
  const args = ["lab", `--notebook-dir=${notebooks}`, "--ip=127.0.0.1", `--IdentityProvider.token=${token}`, ...(port ? [`--port=${port}`] : []), ...(process.getuid?.() === 0 ? ["--allow-root"] : []), ...extraArgs];
  log(`setup took ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`JupyterLab: http://127.0.0.1:${port ?? givenPort}/lab?token=${token}`);
  const lab = spawn(path.join(venv, "bin", "jupyter"), args, { cwd: notebooks, stdio: "inherit", env: venvEnv(venv) });
  const stop = (signal) => lab.kill(signal);
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
  lab.on("exit", (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

main().catch((error) => {
  console.error(`[start] ${error.message}`);
  process.exit(1);
});
