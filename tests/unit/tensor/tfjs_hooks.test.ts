import assert from "node:assert/strict";
import { describe, it, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { describeTfjsHooks, installTfjsHooks, loadedTfjsVersions, tfjsHooksStatus, unsupportedVersionReason } from "../../../kernel/fused/hooks/index.js";
import { probeBackend } from "../../../kernel/tensor/registry.js";

process.env["TSGPU_WEBGPU"] = "off"; // devices() below need not probe Dawn

/** The tfjs functions the hooks replace, as they are now. */
function interceptedFunctions(): unknown[] {
  const layers = tf.LayersModel.prototype as unknown as Record<string, unknown>;
  const adam = tf.AdamOptimizer.prototype as unknown as Record<string, unknown>;
  return [tf.getGradient("Relu")?.gradFunc, tf.getGradient("Softmax")?.gradFunc, layers["compile"], layers["makeTrainFunction"], adam["applyGradients"]];
}

// Tests run in order: the declined case first, while tfjs is still untouched.
describe("tfjs hooks for the fused kernels", () => {
  it("accepts the tfjs version they were written for", () => {
    assert.deepEqual(loadedTfjsVersions(), { core: tf.version["tfjs-core"], layers: tf.version["tfjs-layers"] });
    assert.equal(unsupportedVersionReason({ core: "4.22.0", layers: "4.22.3" }), undefined);
  });

  it("declines on another tfjs version, says why, and leaves tfjs's own code paths", () => {
    const before = interceptedFunctions();
    const holder = {};
    const status = installTfjsHooks({ versions: { core: "4.21.0", layers: "4.22.0" }, holder });
    assert.equal(status.state, "declined");
    assert.equal(status.tfjsVersion, "4.21.0");
    assert.match(status.state === "declined" ? status.reason : "", /tfjs-core is 4\.21\.0.*4\.22\.x/);
    assert.deepEqual(tfjsHooksStatus(holder), status);
    assert.match(describeTfjsHooks(status), /declined .*4\.21\.0/);
    assert.deepEqual(interceptedFunctions(), before);
    const x = tf.tensor1d([-1, 0, 2]);
    assert.deepEqual(Array.from(tf.grad((t: tf.Tensor) => tf.relu(t))(x).dataSync()), [0, 0, 1]);
    assert.equal(tfjsHooksStatus(), undefined, "a test holder does not touch the process's record");
  });

  it("installs every hook once, and later calls return the first decision", () => {
    const before = interceptedFunctions();
    const holder = {};
    const first = installTfjsHooks({ holder });
    assert.deepEqual(first, { state: "installed", tfjsVersion: tf.version_core });
    const installed = interceptedFunctions();
    installed.forEach((fn, i) => assert.notEqual(fn, before[i], `hook ${i} is in place`));
    assert.equal(installTfjsHooks({ holder }), first);
    assert.equal(installTfjsHooks({ holder: {} }).state, "installed");
    assert.deepEqual(interceptedFunctions(), installed, "installing again wraps nothing twice");
    const x = tf.tensor1d([-1, 0, 2]);
    assert.deepEqual(Array.from(tf.grad((t: tf.Tensor) => tf.relu(t))(x).dataSync()), [0, 0, 1]);
  });

  it("is installed by the tensor registry when it first probes a backend", async () => {
    await probeBackend("cpu");
    assert.equal(tfjsHooksStatus()?.state, "installed");
    assert.match(describeTfjsHooks(), /installed/);
  });
});

test("devices() and its table say when the hooks declined, and why", async () => {
  const holder = globalThis as Record<symbol, unknown>;
  const key = Symbol.for("tsgpu.fused.tfjsHooks");
  const saved = holder[key];
  holder[key] = { state: "declined", tfjsVersion: "5.0.0", reason: "@tensorflow/tfjs-core is 5.0.0; written for 4.22.x" };
  try {
    const { devices, devicesBundle } = await import("../../../kernel/monitor/devices.js");
    const report = await devices();
    assert.equal(report.fusedHooks?.state, "declined");
    assert.match(String(devicesBundle(report)["text/plain"]), /fused-kernel hooks: declined \(tfjs 5\.0\.0\): @tensorflow\/tfjs-core is 5\.0\.0/);
  } finally {
    holder[key] = saved;
  }
});
