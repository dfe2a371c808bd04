import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";

const MODULE = path.resolve(__dirname, "../../../kernel/backends/webgpu/native_stderr.js");

test("writes to file descriptor 2 during the call are captured and kept off the process's stderr", (t) => {
  if (process.platform !== "linux" && process.platform !== "darwin") return t.skip("libc dup2 is bound on Linux and macOS only");
  // fs.writeSync(2, ...) writes to the descriptor directly, as Dawn's native logging does.
  const script = `
    const fs = require("node:fs");
    const { captureNativeStderr } = require(${JSON.stringify(MODULE)});
    process.stderr.write("before\\n");
    const { value, stderr } = captureNativeStderr(() => { fs.writeSync(2, "Warning: artificially reduced\\n"); return 42; });
    process.stderr.write("after\\n");
    process.stdout.write(JSON.stringify({ value, stderr }));
  `;
  const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.equal(child.status, 0, child.stderr);
  assert.deepEqual(JSON.parse(child.stdout), { value: 42, stderr: "Warning: artificially reduced\n" });
  assert.equal(child.stderr, "before\nafter\n", "stderr is restored after the call");
});

test("a call that throws still restores stderr", (t) => {
  if (process.platform !== "linux" && process.platform !== "darwin") return t.skip("libc dup2 is bound on Linux and macOS only");
  const script = `
    const { captureNativeStderr } = require(${JSON.stringify(MODULE)});
    try { captureNativeStderr(() => { throw new Error("boom"); }); } catch (e) { process.stderr.write("caught " + e.message + "\\n"); }
  `;
  const child = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.equal(child.stderr, "caught boom\n");
});
