/**
 * The execution child starts light: TypeScript stays in the compiler worker,
 * and the tensor runtime and device readers load only when a cell or the
 * device panel needs them.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import path from "node:path";
import { test } from "node:test";

const KERNEL = path.resolve(__dirname, "..", "..", "..", "kernel");

test("the execution child and its setup modules load neither typescript nor the tensor runtime at start", () => {
  const childMain = path.join(KERNEL, "executor", "child_main.js");
  const setup = path.join(KERNEL, "monitor", "child_setup.js");
  // Load the child's entry point as it starts (setup modules on its command line), then list what it loaded.
  const probe = `process.argv = [process.execPath, ${JSON.stringify(childMain)}, ${JSON.stringify(setup)}];
require(${JSON.stringify(childMain)});
process.stdout.write("\\nloaded: " + JSON.stringify(Object.keys(require.cache)) + "\\n");
process.exit(0);`;
  const run = spawnSync(process.execPath, ["-e", probe], { encoding: "utf8", stdio: ["ignore", "pipe", "pipe", "ignore", "ignore", "ignore"] });
  assert.equal(run.status, 0, run.stderr);
  // The child marks stdout for its "ready" message (child_protocol.ts): read the last line only.
  const loaded = JSON.parse(run.stdout.split("\nloaded: ").pop()!) as string[];
  assert.ok(loaded.includes(setup), "the setup module was loaded");
  const relative = loaded.map((file) => path.relative(KERNEL, file));
  assert.deepEqual(relative.filter((file) => file.includes(`node_modules${path.sep}typescript`)), []);
  assert.deepEqual(relative.filter((file) => file.startsWith(`compiler${path.sep}`) && file !== path.join("compiler", "cell_script.js")), []);
  assert.deepEqual(relative.filter((file) => file.startsWith(`tensor${path.sep}`) || file.includes("@tensorflow")), []);
  assert.deepEqual(relative.filter((file) => file.startsWith(`device${path.sep}`) && file !== path.join("device", "comm_target.js")), []);
});
