import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { COMPARISON_MIME } from "../../../kernel/runtime/mime_types.js";
import { toMimeBundle } from "../../../kernel/runtime/display.js";
import { compare } from "../../../kernel/tensor/index.js";
import { defaultComparisonBackends } from "../../../kernel/tensor/compare.js";
import { decodeRgba } from "../charts/png_reader.js";

process.env["TSGPU_WEBGPU"] = "off";

test("compare() times a training step per backend and marks unavailable ones", async () => {
  await tf.setBackend("cpu");
  const model = tf.sequential({ layers: [tf.layers.dense({ units: 8, inputShape: [4], activation: "relu" }), tf.layers.dense({ units: 1 })] });
  const optimizer = tf.train.sgd(0.01);
  const xs = tf.randomNormal([32, 4]);
  const ys = tf.randomNormal([32, 1]);
  const before = tf.memory().numTensors;
  const result = await compare(() => optimizer.minimize(() => tf.losses.meanSquaredError(ys, model.predict(xs) as tf.Tensor), true), {
    backends: ["cpu", "cuda"],
    repeats: 3,
    warmup: 1,
    title: "one SGD step",
  });
  assert.equal(tf.memory().numTensors, before, "steps do not leak tensors");
  assert.equal(tf.getBackend(), "cpu", "the active backend is restored");
  assert.equal(result.baseline, "cpu");
  const [cpu, cuda] = result.rows;
  assert.equal(cpu!.backend, "cpu");
  assert.equal(cpu!.error, undefined);
  assert.equal(cpu!.repeats, 3);
  assert.ok(cpu!.medianMs > 0 && cpu!.minMs <= cpu!.medianMs && cpu!.medianMs <= cpu!.maxMs);
  assert.match(cpu!.device, /\d+ x /);
  assert.equal(cuda!.backend, "cuda");
  assert.match(cuda!.error ?? "", /cuda/);

  const bundle = toMimeBundle(result);
  assert.deepEqual(Object.keys(bundle).sort(), [COMPARISON_MIME, "image/png", "text/html", "text/plain"].sort());
  assert.deepEqual(bundle[COMPARISON_MIME], result.toJSON());
  assert.match(bundle["text/plain"] as string, /one SGD step[\s\S]*cpu .* 1\.00x[\s\S]*cuda .* error: /);
  const html = bundle["text/html"] as string;
  assert.match(html, /<table>[\s\S]*<img src="data:image\/png;base64,/);
  assert.doesNotMatch(html, /<script|style=|<style|<svg/);
  assert.equal(/<img src="data:image\/png;base64,([^"]+)"/.exec(html)![1], bundle["image/png"], "nbconvert (which prefers text/html) shows the same PNG");
  const png = decodeRgba(Buffer.from(bundle["image/png"] as string, "base64"));
  assert.ok(png.width > 0 && png.height > 0);
  tf.dispose([xs, ys]);
  model.dispose();
});

test("a workload that throws becomes an error row, not a failed comparison", async () => {
  const result = await compare(() => {
    throw new Error("shape mismatch in my step");
  }, { backends: ["cpu"], repeats: 1 });
  assert.equal(result.rows[0]!.error, "shape mismatch in my step");
});

test("compare() rejects a non-function", async () => {
  await assert.rejects(compare(42 as never), /compare\(\) needs a function/);
});

test("compare() leaves a software WebGPU adapter out by default, keeps a hardware one", () => {
  const statuses = [
    { name: "cpu", available: true, detail: "", device: "2 x cpu" },
    { name: "webgpu", available: true, detail: "", device: "llvmpipe (software)", software: true },
    { name: "cuda", available: false, detail: "no driver" },
  ];
  assert.deepEqual(defaultComparisonBackends(statuses), ["cpu"]);
  assert.deepEqual(defaultComparisonBackends([{ name: "webgpu", available: true, detail: "", device: "NVIDIA H100", software: false }]), ["webgpu"]);
});
