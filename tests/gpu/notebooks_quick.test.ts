/**
 * GPU tier: the four bundled notebooks run in quick mode on cuda. It runs the same nbclient
 * suite `npm test` runs (tests/kernel/test_bundled_notebooks.py) with TSGPU_NOTEBOOKS_GPU=cuda,
 * which adds a check that every results table's GPU column was measured on cuda.
 *
 * Needs a checkout's Python environment (.venv, made by `npm start` or `npm test`), so it runs
 * from a checkout (`npm run test:gpu`), not from the bundle scripts/gpu/bundle.js makes for a
 * machine without one. Skips with the reason when there is no usable GPU or no .venv.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { describe, it } from "node:test";
import { registerCudaBackend } from "../../kernel/backends/cuda/index";

const ROOT = resolve(__dirname, "../../..");
const PYTHON = resolve(ROOT, ".venv/bin/python");
const availability = registerCudaBackend();
const skip = !availability.available
  ? `no usable GPU for the cuda backend: ${availability.detail}`
  : !existsSync(PYTHON)
    ? `no Python environment at ${PYTHON}: run npm test once (it makes .venv)`
    : false;

describe("the bundled notebooks on cuda", { skip }, () => {
  it("run in quick mode with cuda measured in every results table", () => {
    const result = spawnSync(PYTHON, ["-m", "pytest", "-q", "-x", "tests/kernel/test_bundled_notebooks.py"], {
      cwd: ROOT,
      env: { ...process.env, TSGPU_NOTEBOOKS_GPU: "cuda" },
      encoding: "utf8",
      timeout: 60 * 60 * 1000,
    });
    assert.equal(result.status, 0, `${result.stdout.slice(-6000)}\n${result.stderr.slice(-2000)}`);
  });
});
