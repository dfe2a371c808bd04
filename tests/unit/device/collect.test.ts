import assert from "node:assert/strict";
import { test } from "node:test";
import { DEVICE_SNAPSHOT_VERSION } from "../../../kernel/device/index.js";
import { collectDeviceSnapshot } from "../../../kernel/monitor/snapshot.js";

test("collects a complete snapshot on this machine without throwing", async () => {
  const snapshot = await collectDeviceSnapshot();
  assert.equal(snapshot.version, DEVICE_SNAPSHOT_VERSION);
  assert.ok(snapshot.cpu.cores >= 1);
  assert.ok(snapshot.cpu.model.length > 0);
  assert.ok(snapshot.cpu.totalMemoryBytes >= snapshot.cpu.freeMemoryBytes && snapshot.cpu.freeMemoryBytes > 0);
  assert.equal(snapshot.process.pid, process.pid);
  assert.ok(snapshot.process.residentBytes > 0);
  if (snapshot.gpus.length === 0) assert.match(snapshot.gpuNote ?? "", /No NVIDIA GPU found/);
  assert.deepEqual(
    snapshot.backends.map((b) => b.name),
    ["cpu", "cpu-blas", "webgpu", "cuda", "tensorflow"],
  );
  for (const b of snapshot.backends) {
    assert.equal(b.available, false, "nothing is probed by a snapshot alone");
    assert.match(b.detail, /not checked yet/);
    assert.equal(b.checked, false, "the panel can tell unchecked from unavailable");
  }
  assert.equal(snapshot.tensors, undefined, "tfjs is not loaded by a snapshot");
  assert.doesNotThrow(() => JSON.stringify(snapshot), "the snapshot travels as JSON over the comm");
});

test("measures this process's CPU use between snapshots", async () => {
  // The arithmetic is checked on a hand-driven clock in host.test.ts; here: the collector
  // keeps one sampler, so CPU time burnt between two snapshots shows in the second.
  await collectDeviceSnapshot();
  const startCpu = process.cpuUsage();
  // Burn 50 ms of CPU time (not wall time: the machine may be busy with other work).
  while (process.cpuUsage(startCpu).user < 50_000) Math.sqrt(Math.random());
  const snapshot = await collectDeviceSnapshot();
  assert.ok(snapshot.process.cpuPercent > 0, `reported ${snapshot.process.cpuPercent}% after burning 50 ms of CPU`);
  assert.ok(Number.isFinite(snapshot.process.cpuPercent));
});

test("reports tensors once tfjs is in use", async () => {
  const tf = await import("@tensorflow/tfjs");
  await tf.setBackend("cpu");
  const t = tf.ones([10, 10]);
  const snapshot = await collectDeviceSnapshot();
  assert.deepEqual(snapshot.tensors, { backend: "cpu", numTensors: 1, numBytes: 400 });
  t.dispose();
});
