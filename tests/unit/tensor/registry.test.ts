import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { BACKEND_NAMES } from "../../../kernel/tensor/backend_names.js";
import { BackendUnavailableError, backendStatusList, knownBackends, probeBackend, use } from "../../../kernel/tensor/index.js";
import { devices } from "../../../kernel/monitor/devices.js";
import { JUPYTER_DISPLAY } from "../../../kernel/runtime/display.js";

process.env["TSGPU_WEBGPU"] = "off"; // this file is about the registry; webgpu.test.ts covers WebGPU

test("the cheap name list matches the registry's entries", () => {
  assert.deepEqual([...BACKEND_NAMES], knownBackends());
});

test("devices() lists every backend with availability and a reason", async () => {
  const found = await devices();
  assert.deepEqual(
    found.backends.map((b) => b.name),
    ["cpu", "cpu-blas", "webgpu", "cuda", "tensorflow"],
  );
  const byName = Object.fromEntries(found.backends.map((b) => [b.name, b]));
  assert.equal(byName["cpu"]!.available, true);
  assert.equal(byName["webgpu"]!.available, false);
  assert.match(byName["webgpu"]!.detail, /TSGPU_WEBGPU=off/);
  for (const b of found.backends) assert.ok(b.detail.length > 0, `${b.name} says why`);
  assert.equal(found.backends.filter((b) => b.active).length, 1);
  const bundle = (found as unknown as Record<symbol, () => Record<string, string>>)[JUPYTER_DISPLAY]!();
  assert.match(bundle["text/plain"]!, /cpu \*\s+yes/);
  assert.match(bundle["text/html"]!, /<table>/);
  assert.deepEqual(
    backendStatusList().map((b) => [b.name, b.available]),
    found.backends.map((b) => [b.name, b.available]),
    "the snapshot's cheap list reuses the probes",
  );
});

test("use() switches tfjs's backend and returns its status", async () => {
  const status = await use("cpu");
  assert.equal(status.active, true);
  assert.equal(tf.getBackend(), "cpu");
});

test("use() of an unknown or unavailable backend says which ones are available", async () => {
  await assert.rejects(use("tpu"), (error: unknown) => {
    assert.ok(error instanceof BackendUnavailableError);
    assert.match(error.message, /backend "tpu" cannot be used: unknown backend; tsgpu knows cpu, cpu-blas, webgpu, cuda, tensorflow\. Available here: .*cpu/);
    assert.ok(error.available.includes("cpu"));
    return true;
  });
  await assert.rejects(use("webgpu"), /backend "webgpu" cannot be used: disabled by TSGPU_WEBGPU=off/);
  assert.equal(tf.getBackend(), "cpu", "a failed use() leaves the backend alone");
});

test("probes run once and are cached", async () => {
  assert.equal(probeBackend("cuda"), probeBackend("cuda"));
});

test("a backend the user registered directly can be used", async () => {
  const cpuFactory = tf.findBackendFactory("cpu")!;
  tf.registerBackend("my-cpu", cpuFactory, -1);
  try {
    await use("my-cpu");
    assert.equal(tf.getBackend(), "my-cpu");
  } finally {
    await tf.setBackend("cpu");
    tf.removeBackend("my-cpu");
  }
});
