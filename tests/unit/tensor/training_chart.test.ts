import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { type DisplayRequest, setDisplaySink } from "../../../kernel/runtime/display.js";
import { TRAINING_MIME, type TrainingChartData } from "../../../kernel/runtime/mime_types.js";
import { trainingChart } from "../../../kernel/tensor/index.js";
import { decodeRgba } from "../charts/png_reader.js";

/** A display sink that records requests: the kernel's real integration point. */
function recordingSink() {
  const requests: DisplayRequest[] = [];
  const previous = setDisplaySink({ display: (r) => requests.push(r), clearOutput: () => {} });
  return { requests, restore: () => setDisplaySink(previous) };
}

function smallClassifier() {
  const model = tf.sequential({
    layers: [tf.layers.dense({ units: 16, inputShape: [8], activation: "relu" }), tf.layers.dense({ units: 3, activation: "softmax" })],
  });
  model.compile({ optimizer: tf.train.adam(0.01), loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  const xs = tf.randomNormal([96, 8], 0, 1, "float32", 7);
  const labels = tf.tidy(() => tf.oneHot(tf.argMax(xs.slice([0, 0], [96, 3]), 1), 3));
  return { model, xs, labels };
}

/** Runs `body` with a fresh classifier on cpu and a recording sink, then cleans up. */
async function withClassifier(body: (setup: ReturnType<typeof smallClassifier> & { requests: DisplayRequest[] }) => Promise<void>): Promise<void> {
  await tf.setBackend("cpu");
  const sink = recordingSink();
  const setup = smallClassifier();
  try {
    await body({ ...setup, requests: sink.requests });
  } finally {
    sink.restore();
    setup.model.dispose();
    tf.dispose([setup.xs, setup.labels]);
  }
}

test("shows a live chart during model.fit and leaves a full bundle at the end", () =>
  withClassifier(async ({ model, xs, labels, requests }) => {
    const callback = trainingChart({ title: "classifier", updateEveryMs: 0 });
    await model.fit(xs, labels, { epochs: 3, batchSize: 32, validationSplit: 0.25, shuffle: false, verbose: 0, callbacks: [callback] });
    const [first, ...updates] = requests;
    assert.equal(first!.update, false, "the first output is a new display");
    assert.ok(first!.displayId);
    assert.ok(updates.length >= 3 * 3, `updated per batch (unthrottled): ${updates.length} updates`);
    for (const u of updates) {
      assert.equal(u.update, true);
      assert.equal(u.displayId, first!.displayId, "updates replace the same output");
    }
    const last = updates[updates.length - 1]!.data;
    assert.deepEqual(Object.keys(last).sort(), [TRAINING_MIME, "image/png", "text/html", "text/plain"].sort());
    const data = last[TRAINING_MIME] as TrainingChartData;
    assert.equal(data.done, true);
    assert.equal(data.title, "classifier");
    assert.equal(data.totalEpochs, 3);
    assert.equal(data.batchesPerEpoch, 3, "72 training samples in batches of 32");
    assert.equal(data.steps.length, 9);
    assert.deepEqual(data.steps.map((s) => s.step), [1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.equal(data.epochs.length, 3);
    for (const key of ["loss", "acc", "val_loss", "val_acc"]) assert.equal(typeof data.epochs[2]!.values[key], "number", `epoch logs have ${key}`);
    assert.ok(data.steps.every((s) => Number.isFinite(s.values["loss"])), "batch losses are numbers");
    assert.ok(data.samplesPerSecond! > 0);
    assert.equal(data.backend, "cpu");
    assert.ok(data.memory!.numTensors > 0);
    assert.match(last["text/plain"] as string, /classifier\ndone \[#+\] 3\/3 .*loss .*samples\/s .*took .*on cpu .*tensors/);
    const html = last["text/html"] as string;
    assert.doesNotMatch(html, /<script|style=|<style|<svg/);
    assert.equal(/<img src="data:image\/png;base64,([^"]+)"/.exec(html)?.[1], last["image/png"], "the saved HTML shows the PNG (nbconvert prefers text/html)");
    const live = updates[updates.length - 2]!.data["text/html"] as string;
    assert.doesNotMatch(live, /<script|style=|<style|<img/);
    assert.equal((live.match(/<polyline /g) ?? []).length, 4, "live updates: loss and acc panels as SVG, each with training and validation lines");
    const png = decodeRgba(Buffer.from(last["image/png"] as string, "base64"));
    assert.ok(png.width >= 320);
    assert.equal(updates.slice(0, -1).some((u) => "image/png" in u.data), false, "live updates skip the PNG");
  }));

test("throttles live updates but always updates at epoch ends and at the end", () =>
  withClassifier(async ({ model, xs, labels, requests }) => {
    const callback = trainingChart({ updateEveryMs: 60_000 });
    await model.fit(xs, labels, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [callback] });
    // 1 initial display + 1 per epoch end + 1 final, none of the 24 batch ends.
    assert.equal(requests.length, 1 + 2 + 1);
    assert.equal(callback.updates, 4);
    assert.equal(callback.data.steps.length, 24, "every batch is still recorded");
  }));

test("charting leaks no tensors: a longer fit ends with the same tensor count", () =>
  withClassifier(async ({ model, xs, labels }) => {
    // The first fit creates the optimizer's slots; later fits must end where it ended.
    await model.fit(xs, labels, { epochs: 1, batchSize: 16, verbose: 0, callbacks: [trainingChart({ updateEveryMs: 0 })] });
    const afterOne = tf.memory().numTensors;
    await model.fit(xs, labels, { epochs: 4, batchSize: 16, validationSplit: 0.25, verbose: 0, callbacks: [trainingChart({ updateEveryMs: 0 })] });
    assert.equal(tf.memory().numTensors, afterOne);
  }));
