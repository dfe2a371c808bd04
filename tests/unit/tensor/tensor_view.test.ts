import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import "../../../kernel/monitor/child_setup.js";
import { display, type DisplayRequest, JUPYTER_DISPLAY, mimeBundleOf, setDisplaySink, settleDisplays, toMimeBundle } from "../../../kernel/runtime/display.js";
import { modelBundle } from "../../../kernel/tensor/model_view.js";
import { HEAD_VALUES, SMALL_TENSOR_ELEMENTS, tensorBundle } from "../../../kernel/tensor/tensor_view.js";

process.env["TSGPU_WEBGPU"] = "off";

/**
 * A backend standing in for a GPU: tfjs's cpu kernels under another name, on a
 * backend that records every read (sync and async) with the number of values read.
 */
class SpyBackend extends MathBackendCPU {
  readonly reads: Array<{ values: number; whole: boolean }> = [];
  watched: object | undefined;
  override readSync(dataId: object) {
    const values = super.readSync(dataId);
    this.reads.push({ values: values.length, whole: dataId === this.watched });
    return values;
  }
  override async read(dataId: object) {
    const values = await super.read(dataId);
    this.reads.push({ values: values.length, whole: dataId === this.watched });
    return values;
  }
}

const spy = new SpyBackend();
tf.registerBackend("spy-gpu", () => spy, -1);
for (const kernel of tf.getKernelsForBackend("cpu")) tf.registerKernel({ ...kernel, backendName: "spy-gpu" });

test("a small 2-D tensor shows its values as text (with shape, dtype, backend) and as a table", async () => {
  await tf.setBackend("cpu");
  const t = tf.tensor([[1, 2.5, 3], [4, 5, 6]]);
  const bundle = toMimeBundle(t);
  assert.equal(bundle["text/plain"], "Tensor float32 [2,3] on cpu\n    [[1, 2.5, 3],\n     [4, 5  , 6]]");
  const html = bundle["text/html"] as string;
  assert.match(html, /^<table><caption>Tensor float32 \[2,3\] on cpu<\/caption>/);
  assert.equal((html.match(/<td>/g) ?? []).length, 6);
  assert.match(html, /<td>2\.5<\/td>/);
  assert.doesNotMatch(toMimeBundle(tf.tensor([1, 2, 3], [3], "int32"))["text/plain"] as string, /kept|dataId|strides|isDisposedInternal/);
  assert.equal(toMimeBundle(tf.tensor([1, 2, 3], [3], "int32"))["text/plain"], "Tensor int32 [3] on cpu\n    [1, 2, 3]");
  tf.dispose(t);
});

test("values print exactly as tfjs's toString() prints them, after the header line", async () => {
  await tf.setBackend("cpu");
  const tensors = [
    tf.tensor([[1, 2.5, 3], [4, 5, 6]]),
    tf.scalar(3.25),
    tf.tensor([0.1, -2.123456789]),
    tf.tensor([true, false], [2], "bool"),
    tf.tensor(["a", "bc"]),
    tf.range(0, 50), // summarised: first and last three
    tf.range(0, 24).reshape([2, 3, 4]),
    tf.range(0, 16).reshape([2, 2, 2, 2]),
    tf.range(0, 999).reshape([3, 333]),
  ];
  for (const t of tensors) {
    const [first, ...values] = (toMimeBundle(t)["text/plain"] as string).split("\n");
    assert.equal(first, `Tensor ${t.dtype} [${t.shape.join(",")}] on cpu`);
    assert.equal(values.join("\n"), t.toString().split("\n").slice(1).join("\n"), `shape [${t.shape}]`);
  }
  tf.dispose(tensors);
});

test("a disposed tensor says it is disposed", async () => {
  await tf.setBackend("cpu");
  const t = tf.ones([2, 2]);
  t.dispose();
  const bundle = toMimeBundle(t);
  assert.equal(bundle["text/plain"], "Tensor float32 [2,2] (disposed: its data is freed)");
  assert.match(bundle["text/html"] as string, /disposed/);
});

test("a large tensor on a non-CPU backend is summarised from small reductions, never read back whole", async () => {
  await tf.setBackend("spy-gpu");
  const big = tf.tidy(() => tf.range(0, 200_000).reshape([400, 500]));
  spy.watched = big.dataId;
  await tf.setBackend("cpu"); // the summary must run where the data is, not copy it to the active backend
  const before = tf.memory().numTensors;
  for (const asyncRead of [false, true]) {
    spy.reads.length = 0;
    const bundle = await tensorBundle(big as never, { asyncRead });
    const text = bundle["text/plain"] as string;
    assert.match(text, /^Tensor float32 \[400,500\] on spy-gpu\n200,000 values, 781 KiB\nmin 0 {2}max 199999 {2}mean 99999\.5/);
    assert.match(text, /first values: \[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, \.\.\.\]/);
    assert.match(bundle["text/html"] as string, /<th>mean<\/th><td>99999\.5<\/td>/);
    assert.ok(spy.reads.length > 0, `reads go through the spy backend (${asyncRead ? "async" : "sync"})`);
    assert.equal(spy.reads.some((r) => r.whole), false, "the big tensor itself is never read");
    assert.ok(Math.max(...spy.reads.map((r) => r.values)) <= HEAD_VALUES, `largest read: ${Math.max(...spy.reads.map((r) => r.values))} values`);
  }
  assert.equal(tf.memory().numTensors, before, "the summary's tensors are disposed");
  assert.equal(tf.getBackend(), "cpu", "the active backend is restored");
  assert.ok(big.size > SMALL_TENSOR_ELEMENTS);
  big.dispose();
});

test("a tf.layers model shows its summary as a table and as text", async () => {
  await tf.setBackend("cpu");
  const model = tf.sequential({ name: "mlp", layers: [tf.layers.dense({ units: 4, inputShape: [3], name: "hidden" }), tf.layers.dense({ units: 1, name: "out" })] });
  const bundle = toMimeBundle(model);
  assert.deepEqual(bundle, modelBundle(model as never));
  const text = bundle["text/plain"] as string;
  assert.match(text, /^Sequential "mlp"\n/);
  assert.match(text, /hidden \(Dense\)[\s\S]*\[null,4\][\s\S]*16/);
  assert.match(text, /Total params: 21/);
  const html = bundle["text/html"] as string;
  assert.match(html, /<th>Layer \(type\)<\/th><th>Output shape<\/th><th>Param #<\/th>/);
  assert.match(html, /<tr><td>hidden \(Dense\)<\/td><td>\[null, 4\]<\/td><td>16<\/td><\/tr>/);
  assert.match(html, /Total params: 21 · trainable: 21 · non-trainable: 0/);
  assert.match(toMimeBundle(tf.sequential({ name: "empty" }))["text/plain"] as string, /"empty" with 0 layers \(not built yet/);
  model.dispose();
});

test("a value's own Jupyter.display method wins over the tensor formatter", async () => {
  await tf.setBackend("cpu");
  const t = tf.ones([2]);
  Object.defineProperty(t, JUPYTER_DISPLAY, { value: () => ({ "text/plain": "mine" }) });
  assert.deepEqual(toMimeBundle(t), { "text/plain": "mine" });
  class Point {
    constructor(readonly x: number) {}
    [JUPYTER_DISPLAY]() {
      return { "text/html": `<b>${this.x}</b>` };
    }
  }
  assert.deepEqual(toMimeBundle(new Point(2)), { "text/html": "<b>2</b>", "text/plain": "Point { x: 2 }" });
  t.dispose();
});

test("display() of a value read asynchronously sends it once ready; settleDisplays waits for it", async () => {
  const requests: DisplayRequest[] = [];
  const previous = setDisplaySink({ display: (r) => requests.push(r), clearOutput() {} });
  try {
    class Slow {
      async [JUPYTER_DISPLAY]() {
        await new Promise((resolve) => setTimeout(resolve, 20));
        return { "text/html": "<i>late</i>" };
      }
    }
    display(new Slow());
    assert.equal(requests.length, 0);
    await settleDisplays();
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.data["text/html"], "<i>late</i>");
    assert.equal((await mimeBundleOf(new Slow()))["text/html"], "<i>late</i>");
  } finally {
    setDisplaySink(previous);
  }
});
