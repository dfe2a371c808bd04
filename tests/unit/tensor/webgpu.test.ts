import assert from "node:assert/strict";
import { type TestContext, test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { collectDeviceSnapshot } from "../../../kernel/monitor/snapshot.js";
import "../../../kernel/monitor/child_setup.js";
import { type DisplayRequest, mimeBundleOf as toMimeBundleAsync, setDisplaySink } from "../../../kernel/runtime/display.js";
import { TRAINING_MIME, type TrainingChartData } from "../../../kernel/runtime/mime_types.js";
import { compare, OutOfMemoryError, probeBackend, TensorRuntimeError, trainingChart, use } from "../../../kernel/tensor/index.js";

// WebGPU through Dawn: on CI this is Mesa's llvmpipe software renderer (Debian
// packages libegl1 libegl-mesa0 libgles2 libgl1-mesa-dri), a GPU stand-in.
const probing = probeBackend("webgpu");

/** Skips the test with the reason when this machine has no usable WebGPU adapter. */
async function needsWebGpu(t: TestContext): Promise<boolean> {
  const probe = await probing;
  if (!probe.available) t.skip(`no usable WebGPU adapter here: ${probe.detail}`);
  return probe.available;
}

type Kind = "mlp" | "cnn";

function buildModel(kind: Kind): tf.Sequential {
  const layers =
    kind === "mlp"
      ? [tf.layers.dense({ units: 32, inputShape: [20], activation: "relu" }), tf.layers.dense({ units: 4, activation: "softmax" })]
      : [
          tf.layers.conv2d({ filters: 4, kernelSize: 3, inputShape: [10, 10, 1], activation: "relu" }),
          tf.layers.maxPooling2d({ poolSize: 2 }),
          tf.layers.flatten(),
          tf.layers.dense({ units: 4, activation: "softmax" }),
        ];
  const model = tf.sequential({ layers });
  model.compile({ optimizer: tf.train.sgd(0.1), loss: "categoricalCrossentropy" });
  return model;
}

interface Run {
  losses: number[];
  weights: Float32Array[];
}

/** Trains `kind` for a few full-batch steps on `backend`, from the given weights and data. */
async function train(kind: Kind, backend: string, initial: Float32Array[], x: Float32Array, y: Float32Array): Promise<Run> {
  await use(backend);
  const model = buildModel(kind);
  model.setWeights(model.getWeights().map((w, i) => tf.tensor(initial[i]!, w.shape)));
  const inputShape = kind === "mlp" ? [24, 20] : [24, 10, 10, 1];
  const xs = tf.tensor(x, inputShape);
  const ys = tf.tensor(y, [24, 4]);
  const history = await model.fit(xs, ys, { epochs: 4, batchSize: 24, shuffle: false, verbose: 0 });
  const weights = await Promise.all(model.getWeights().map(async (w) => (await w.data()) as Float32Array));
  tf.dispose([xs, ys]);
  model.dispose();
  return { losses: history.history["loss"] as number[], weights };
}

async function matchesCpu(kind: Kind): Promise<void> {
  await use("cpu");
  const template = buildModel(kind);
  const initial = await Promise.all(template.getWeights().map(async (w) => (await w.data()) as Float32Array));
  template.dispose();
  const x = Float32Array.from({ length: kind === "mlp" ? 24 * 20 : 24 * 100 }, (_, i) => Math.sin(i * 0.37));
  const y = new Float32Array(24 * 4).map((_, i) => (i % 4 === Math.floor(i / 4) % 4 ? 1 : 0));
  const cpu = await train(kind, "cpu", initial, x, y);
  const gpu = await train(kind, "webgpu", initial, x, y);
  // fp32 with different summation orders (workgroup reductions vs sequential loops):
  // FACTS measured gradients within 7e-7; after 4 SGD steps at lr 0.1 1e-4 absolute + 1e-3 relative is ample
  // and still fails on wrong kernels (the loss moves by >1e-2 per step here).
  const close = (a: number, e: number) => Math.abs(a - e) <= 1e-4 + 1e-3 * Math.abs(e);
  assert.equal(gpu.losses.length, 4);
  gpu.losses.forEach((loss, i) => assert.ok(close(loss, cpu.losses[i]!), `${kind} loss at step ${i}: webgpu ${loss}, cpu ${cpu.losses[i]}`));
  assert.ok(cpu.losses[3]! < cpu.losses[0]!, "the model learns");
  gpu.weights.forEach((w, i) => {
    assert.equal(w.length, cpu.weights[i]!.length);
    w.forEach((v, j) => assert.ok(close(v, cpu.weights[i]![j]!), `${kind} weight ${i}[${j}]: webgpu ${v}, cpu ${cpu.weights[i]![j]}`));
  });
}

test("WebGPU passes the known computation and names its adapter", async (t) => {
  if (!(await needsWebGpu(t))) return;
  const probe = await probing;
  assert.match(probe.detail, /via Dawn/);
  assert.ok(probe.device);
  const software = /llvmpipe|swiftshader|lavapipe|softpipe/i.test(probe.detail);
  assert.equal(probe.software, software, "a CPU renderer is marked software, so compare() leaves it out");
  if (software) assert.match(probe.device!, /\(software\)$/);
});

test("WebGPU trains an MLP matching the cpu backend", async (t) => {
  if (await needsWebGpu(t)) await matchesCpu("mlp");
});

test("WebGPU trains a small CNN matching the cpu backend", async (t) => {
  if (await needsWebGpu(t)) await matchesCpu("cnn");
});

test("await data() reads WebGPU tensors; dataSync() says why it cannot", async (t) => {
  if (!(await needsWebGpu(t))) return;
  await use("webgpu");
  const doubled = tf.tidy(() => tf.range(0, 6).reshape([2, 3]).mul(2));
  assert.deepEqual(Array.from(await doubled.data()), [0, 2, 4, 6, 8, 10]);
  assert.deepEqual(await doubled.array(), [[0, 2, 4], [6, 8, 10]]);
  const fresh = tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64]))); // large enough to run on the GPU, not forwarded to CPU
  assert.throws(() => fresh.dataSync(), (error: unknown) => error instanceof TensorRuntimeError && /Use await tensor\.data\(\)/.test(error.message));
  tf.dispose([doubled, fresh]);
  await use("cpu");
});

test("a tensor larger than the device's largest buffer is refused with the sizes", async (t) => {
  if (!(await needsWebGpu(t))) return;
  await use("webgpu");
  const before = tf.memory().numTensors;
  assert.throws(
    () => tf.zeros([2 ** 15, 2 ** 15, 4]), // 16 GiB of float32
    (error: unknown) => error instanceof OutOfMemoryError && error.requestedBytes === 2 ** 34 && /largest buffer/.test(error.message),
  );
  assert.equal(tf.memory().numTensors, before);
  await use("cpu");
});

test("the device snapshot lists the WebGPU adapter once it is in use", async (t) => {
  if (!(await needsWebGpu(t))) return;
  const snapshot = await collectDeviceSnapshot();
  assert.ok(snapshot.gpus.some((g) => g.source === "webgpu"));
  assert.equal(snapshot.backends.find((b) => b.name === "webgpu")?.available, true);
});

test("a model trained on webgpu keeps training on cpu after use() and compare()", async (t) => {
  if (!(await needsWebGpu(t))) return;
  await use("cpu");
  const model = buildModel("mlp");
  const xs = tf.randomNormal([16, 20], 0, 1, "float32", 3);
  const ys = tf.tidy(() => tf.oneHot(tf.argMax(xs.slice([0, 0], [16, 4]), 1), 4));
  const optimizer = tf.train.sgd(0.05);
  const step = () => optimizer.minimize(() => tf.losses.softmaxCrossEntropy(ys, model.predict(xs) as tf.Tensor), true);
  const result = await compare(step, { backends: ["cpu", "webgpu"], repeats: 2, warmup: 1 });
  assert.deepEqual(result.rows.map((r) => r.error), [undefined, undefined]);
  assert.equal(tf.getBackend(), "cpu");
  // The weights were last updated on webgpu; tfjs moves them back with a synchronous read.
  await model.fit(xs, ys, { epochs: 1, verbose: 0 });
  await use("webgpu");
  await model.fit(xs, ys, { epochs: 1, verbose: 0 });
  await use("cpu");
  const weights = await Promise.all(model.getWeights().map((w) => w.data()));
  assert.ok(weights.every((w) => w.every(Number.isFinite)));
  model.dispose();
  optimizer.dispose();
  tf.dispose([xs, ys]);
});

test("the training chart reads webgpu losses without dataSync", async (t) => {
  if (!(await needsWebGpu(t))) return;
  const requests: DisplayRequest[] = [];
  const previous = setDisplaySink({ display: (r) => requests.push(r), clearOutput: () => {} });
  try {
    await use("webgpu");
    const model = buildModel("mlp");
    const xs = tf.randomNormal([32, 20], 0, 1, "float32", 5);
    const ys = tf.tidy(() => tf.oneHot(tf.argMax(xs.slice([0, 0], [32, 4]), 1), 4));
    await model.fit(xs, ys, { epochs: 2, batchSize: 16, verbose: 0, callbacks: [trainingChart({ updateEveryMs: 0 })] });
    const data = requests[requests.length - 1]!.data[TRAINING_MIME] as TrainingChartData;
    assert.equal(data.backend, "webgpu");
    assert.equal(data.steps.length, 4);
    assert.ok(data.steps.every((s) => Number.isFinite(s.values["loss"])));
    model.dispose();
    tf.dispose([xs, ys]);
  } finally {
    setDisplaySink(previous);
    await use("cpu");
  }
});

test("a large webgpu tensor displays from on-device reductions, read with await data(), never whole", async (t) => {
  if (!(await needsWebGpu(t))) return;
  await use("webgpu");
  const big = tf.tidy(() => tf.range(0, 100_000).reshape([100, 1000]).add(0)); // add: computed on the GPU, not uploaded values
  const backend = tf.findBackend("webgpu") as unknown as { read(dataId: object): Promise<ArrayLike<number>>; readSync(dataId: object): ArrayLike<number> };
  const reads: number[] = [];
  const read = backend.read.bind(backend);
  backend.read = async (dataId) => {
    const values = await read(dataId);
    reads.push(dataId === big.dataId ? Number.POSITIVE_INFINITY : values.length);
    return values;
  };
  try {
    const pending = toMimeBundleAsync(big);
    assert.ok(pending instanceof Promise, "webgpu cannot read synchronously in Node: the bundle is a promise");
    const text = (await pending)["text/plain"] as string;
    assert.match(text, /^Tensor float32 \[100,1000\] on webgpu\n100,000 values, 391 KiB\nmin 0 {2}max 99999 {2}mean 49999\.5/);
    assert.ok(reads.length > 0 && Math.max(...reads) <= 10, `reads: ${reads.join(", ")}`);
  } finally {
    backend.read = read;
    big.dispose();
    await use("cpu");
  }
});
