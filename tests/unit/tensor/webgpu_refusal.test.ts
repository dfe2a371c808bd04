import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { test } from "node:test";

test("refuses a WebGPU device whose limits make tfjs's shaders invalid", (t) => {
  // WebGPU's default limits (128 threads per workgroup) reject tfjs's 256-thread reduction shaders;
  // without tsgpu's check the results would silently be zeros.
  // It runs in its own process: after a device has reported validation errors, Dawn on Mesa's
  // llvmpipe sometimes aborts while the process exits (glibc "The futex facility returned an
  // unexpected error code") or hangs, which would fail this file for a reason outside the behaviour
  // tested; the child kills itself once it has printed its result.
  const child = spawnSync(process.execPath, [join(__dirname, "webgpu_refusal_child.js")], { encoding: "utf8", timeout: 120_000 });
  const line = child.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  assert.ok(line, `the probe reported nothing (exit ${child.status}, signal ${child.signal}): ${child.stderr.slice(-2000)}`);
  const result = JSON.parse(line.slice("RESULT ".length)) as { available: boolean; detail: string; stillRegistered: boolean; backend: string };
  if (!result.available && /no WebGPU adapter|does not load|TSGPU_WEBGPU=off/.test(result.detail)) {
    t.skip(`no WebGPU adapter here: ${result.detail}`);
    return;
  }
  assert.equal(result.available, false);
  assert.match(result.detail, /^refused: .* via Dawn .*(wrong results|WebGPU reported errors)/);
  assert.equal(result.stillRegistered, false, "the refused backend is not left registered");
  assert.equal(result.backend, "cpu", "the default backend is unchanged");
});
