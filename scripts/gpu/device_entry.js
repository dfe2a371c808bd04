/**
 * The one entry point of the GPU bundle (scripts/gpu/bundle.js): `node device.js NAME [args]`
 * runs one GPU test or benchmark. One bundle shares tfjs and the backend among all of them;
 * one bundle per test made 5 MB each and pushed the bundle past the device tool's 64 MiB.
 * Modules are required on demand, so only the named one runs.
 */
"use strict";
const ENTRIES = {
  "kernels_vs_cpu.test": () => require("../../tests/gpu/kernels_vs_cpu.test.ts"),
  "mnist_mlp.test": () => require("../../tests/gpu/mnist_mlp.test.ts"),
  "mnist_cnn.test": () => require("../../tests/gpu/mnist_cnn.test.ts"),
  "gpt_loss_curve.test": () => require("../../tests/gpu/gpt_loss_curve.test.ts"),
  "faults.test": () => require("../../tests/gpu/faults.test.ts"),
  mlp_epoch: () => require("../../bench/gpu/mlp_epoch.ts"),
  cnn_epoch: () => require("../../bench/gpu/cnn_epoch.ts"),
  resnet50_step: () => require("../../bench/gpu/resnet50_step.ts"),
  gpt_tokens: () => require("../../bench/gpu/gpt_tokens.ts"),
  host_overhead: () => require("../../bench/cuda/host_overhead.ts"),
};

const name = process.argv[2];
const entry = ENTRIES[name];
if (!entry) {
  console.error(`usage: node device.js NAME [args], NAME one of: ${Object.keys(ENTRIES).join(", ")}`);
  process.exit(2);
}
process.argv.splice(2, 1); // the module sees its own arguments where it expects them
entry();
