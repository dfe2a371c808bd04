// Creates (or reuses) the project's Python virtual environment in .venv with the
// pinned packages of tests/requirements.txt. Re-runs are a no-op while the
// requirements file is unchanged (a hash is kept in .venv/.tsgpu-requirements).
"use strict";
const { execFileSync } = require("node:child_process");
const { createHash } = require("node:crypto");
const fs = require("node:fs");
const path = require("node:path");

const root = path.resolve(__dirname, "..");
const venv = path.join(root, ".venv");
const requirements = path.join(root, "tests", "requirements.txt");
const stamp = path.join(venv, ".tsgpu-requirements");

/** Path of the venv's python, after making sure the environment is up to date. */
function ensurePythonEnv({ quiet = false } = {}) {
  const python = path.join(venv, "bin", "python");
  const hash = createHash("sha256").update(fs.readFileSync(requirements)).digest("hex");
  if (fs.existsSync(python) && fs.existsSync(stamp) && fs.readFileSync(stamp, "utf8") === hash) return python;
  const log = (m) => quiet || console.log(`[python] ${m}`);
  if (!fs.existsSync(python)) {
    const base = findSystemPython();
    log(`creating ${path.relative(root, venv)} with ${base}`);
    execFileSync(base, ["-m", "venv", venv], { stdio: "inherit" });
  }
  log("installing tests/requirements.txt (pinned)");
  execFileSync(python, ["-m", "pip", "install", "--disable-pip-version-check", "-q", "-r", requirements], { stdio: "inherit" });
  fs.writeFileSync(stamp, hash);
  return python;
}

function findSystemPython() {
  for (const candidate of ["python3", "python"]) {
    try {
      execFileSync(candidate, ["-c", "import sys, venv; assert sys.version_info >= (3, 9)"], { stdio: "ignore" });
      return candidate;
    } catch {}
  }
  throw new Error("tsgpu needs Python 3.9 or later with the venv module for its Jupyter tools: install python3 and python3-venv.");
}

module.exports = { ensurePythonEnv, venv };
if (require.main === module) console.log(ensurePythonEnv());
