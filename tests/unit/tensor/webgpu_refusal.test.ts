import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { probeWebGpu } from "../../../kernel/tensor/backends/webgpu.js";
import { webGpuDevices } from "../../../kernel/tensor/webgpu_adapter.js";

test("refuses a WebGPU device whose limits make tfjs's shaders invalid", async (t) => {
  // WebGPU's default limits (128 threads per workgroup) reject tfjs's 256-thread reduction shaders;
  // without tsgpu's check the results would silently be zeros.
  const result = await probeWebGpu(() => webGpuDevices({ raiseLimits: false }));
  if (!result.available && /no WebGPU adapter|does not load|TSGPU_WEBGPU=off/.test(result.detail)) {
    t.skip(`no WebGPU adapter here: ${result.detail}`);
    return;
  }
  assert.equal(result.available, false);
  assert.match(result.detail, /^refused: .* via Dawn .*(wrong results|WebGPU reported errors)/);
  assert.equal(tf.findBackendFactory("webgpu"), null, "the refused backend is not left registered");
  assert.equal(tf.getBackend(), "cpu", "the default backend is unchanged");
});
