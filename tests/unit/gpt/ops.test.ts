import assert from "node:assert/strict";
import { test } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { dropoutKey, dropoutMix } from "../../../kernel/fused/gpt/index.js";
import { adamw, biasGelu, causalSelfAttention, dropout, embeddingLookup, layerNorm, vocabCrossEntropy } from "../../../kernel/gpt/ops.js";

/** |a - e| <= atol + rtol |e| elementwise, shapes first. */
function assertClose(actual: tf.Tensor, expected: tf.Tensor, atol: number, rtol = 1e-3, what = ""): void {
  assert.deepEqual(actual.shape, expected.shape, `${what} shape`);
  const a = actual.dataSync();
  const e = expected.dataSync();
  for (let i = 0; i < e.length; i++) {
    assert.ok(Math.abs(a[i]! - e[i]!) <= atol + rtol * Math.abs(e[i]!), `${what}[${i}]: ${a[i]} vs ${e[i]}`);
  }
}

/** Gradients of sum(f(inputs) * weights) by our op and by a straightforward formulation, compared. */
function compareGradients(ours: (...x: tf.Tensor[]) => tf.Tensor, reference: (...x: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], atol = 1e-5): void {
  tf.tidy(() => {
    const weights = tf.randomNormal(ours(...inputs).shape, 0, 1, "float32", 11);
    assertClose(ours(...inputs), reference(...inputs), atol, 1e-3, "value");
    const g1 = tf.grads((...x: tf.Tensor[]) => ours(...x).mul(weights).sum())(inputs);
    const g2 = tf.grads((...x: tf.Tensor[]) => reference(...x).mul(weights).sum())(inputs);
    g1.forEach((g, i) => assertClose(g, g2[i]!, atol, 1e-3, `gradient ${i}`));
  });
}

test.before(async () => {
  await tf.setBackend("cpu");
});

test("layerNorm matches tf.moments formulation, value and gradients", () => {
  const x = tf.randomNormal([2, 3, 7], 0, 2, "float32", 1);
  const w = tf.randomNormal([7], 1, 0.3, "float32", 2);
  const b = tf.randomNormal([7], 0, 0.3, "float32", 3);
  const reference = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) => {
    const { mean, variance } = tf.moments(xx, -1, true);
    return xx.sub(mean).div(variance.add(1e-5).sqrt()).mul(ww).add(bb);
  };
  compareGradients((xx, ww, bb) => layerNorm(xx, ww!, bb!, 1e-5), reference, [x, w, b]);
  tf.dispose([x, w, b]);
});

test("biasGelu matches the tanh-approximation GELU formula and a finite difference", () => {
  const x = tf.randomNormal([3, 5], 0, 2, "float32", 4);
  const b = tf.randomNormal([5], 0, 0.5, "float32", 5);
  const reference = (xx: tf.Tensor, bb: tf.Tensor) => {
    const u = xx.add(bb);
    return u.mul(0.5).mul(tf.tanh(u.add(u.pow(3).mul(0.044715)).mul(Math.sqrt(2 / Math.PI))).add(1));
  };
  compareGradients((xx, bb) => biasGelu(xx, bb!), reference, [x, b]);
  // central difference of sum(biasGelu) with respect to one input element
  const h = 1e-2;
  const at = (delta: number) => tf.tidy(() => biasGelu(x.add(tf.oneHot([7], 15).reshape([3, 5]).mul(delta)), b).sum().dataSync()[0]!);
  const numeric = (at(h) - at(-h)) / (2 * h);
  const analytic = tf.tidy(() => tf.grad((xx: tf.Tensor) => biasGelu(xx, b).sum())(x).dataSync()[7]!);
  assert.ok(Math.abs(numeric - analytic) < 2e-3, `${numeric} vs ${analytic}`);
  tf.dispose([x, b]);
});

test("embeddingLookup gathers rows and its gradient scatter-adds repeated ids", () => {
  const table = tf.randomNormal([6, 4], 0, 1, "float32", 6);
  const ids = tf.tensor2d([[1, 3, 1], [5, 0, 1]], [2, 3], "int32");
  compareGradients((t) => embeddingLookup(t, ids), (t) => tf.gather(t, ids), [table]);
  tf.dispose([table, ids]);
});

test("vocabCrossEntropy matches softmaxCrossEntropy on one-hot targets", () => {
  const logits = tf.randomNormal([5, 11], 0, 3, "float32", 7);
  const targets = tf.tensor1d([0, 10, 3, 3, 7], "int32");
  const reference = (l: tf.Tensor) => tf.losses.softmaxCrossEntropy(tf.oneHot(targets, 11), l, undefined, undefined, tf.Reduction.MEAN);
  compareGradients((l) => vocabCrossEntropy(l, targets), reference, [logits]);
  tf.dispose([logits, targets]);
});

test("causalSelfAttention matches a per-head loop with an explicit mask, and a cache extends it exactly", () => {
  const heads = 2;
  const qkv = tf.randomNormal([2, 5, 12], 0, 1, "float32", 8);
  const reference = (x: tf.Tensor) => {
    const [q, k, v] = tf.split(x, 3, 2);
    const outputs: tf.Tensor[] = [];
    for (let h = 0; h < heads; h++) {
      const slice = (t: tf.Tensor) => t.slice([0, 0, h * 2], [2, 5, 2]);
      const scores = tf.matMul(slice(q!), slice(k!), false, true).div(Math.sqrt(2));
      const allowed = tf.linalg.bandPart(tf.ones([5, 5]), -1, 0).cast("bool");
      const probs = tf.softmax(tf.where(allowed, scores, tf.fill(scores.shape, -1e30)));
      outputs.push(tf.matMul(probs, slice(v!)));
    }
    return tf.concat(outputs, 2);
  };
  compareGradients((x) => causalSelfAttention(x, { heads }).output, reference, [qkv]);
  tf.tidy(() => {
    const full = causalSelfAttention(qkv, { heads }).output;
    const first = causalSelfAttention(qkv.slice([0, 0, 0], [2, 3, 12]), { heads });
    const rest = causalSelfAttention(qkv.slice([0, 3, 0], [2, 2, 12]), { heads, past: first.present });
    assertClose(tf.concat([first.output, rest.output], 1), full, 1e-6, 1e-4, "cached");
    assert.deepEqual(rest.present!.key.shape, [2, heads, 5, 2]);
  });
  qkv.dispose();
});

test("adamw follows PyTorch's AdamW formula, without decay where weightDecay is 0", () => {
  const param = tf.variable(tf.tensor1d([1, -2, 0.5]));
  const m = tf.variable(tf.zeros([3]));
  const v = tf.variable(tf.zeros([3]));
  const grads = [[0.1, -0.3, 0.2], [0.05, 0.1, -0.4]];
  const p = [1, -2, 0.5];
  const mm = [0, 0, 0];
  const vv = [0, 0, 0];
  const [lr, b1, b2, eps, wd] = [0.01, 0.9, 0.95, 1e-8, 0.1];
  grads.forEach((g, step) => {
    const grad = tf.tensor1d(g);
    adamw(param, grad, m, v, { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps, weightDecay: wd, step: step + 1 });
    grad.dispose();
    for (let i = 0; i < 3; i++) {
      p[i] = p[i]! * (1 - lr * wd);
      mm[i] = b1 * mm[i]! + (1 - b1) * g[i]!;
      vv[i] = b2 * vv[i]! + (1 - b2) * g[i]! ** 2;
      p[i] = p[i]! - (lr * (mm[i]! / (1 - b1 ** (step + 1)))) / (Math.sqrt(vv[i]! / (1 - b2 ** (step + 1))) + eps);
    }
  });
  const expected = tf.tensor1d(p);
  assertClose(param, expected, 1e-6, 1e-5, "param");
  tf.dispose([param, m, v, expected]);
});

test("dropout drops about rate of the elements with the seed's hashed mask, and its gradient goes through the same mask", () => {
  tf.tidy(() => {
    const x = tf.randomNormal([50, 40], 0, 1, "float32", 3);
    const y = dropout(x, 0.3, 77).dataSync();
    const xs = x.dataSync();
    const key = dropoutKey(77);
    let dropped = 0;
    for (let i = 0; i < xs.length; i++) {
      // The contract's formula, written out: keep when mix(mix(i ^ key) + key) >= round(0.3 * 2^32).
      const keep = dropoutMix((dropoutMix((i ^ key) >>> 0) + key) >>> 0) >= Math.round(0.3 * 2 ** 32);
      assert.ok(y[i] === (keep ? Math.fround(xs[i]! * Math.fround(1 / 0.7)) : 0), `element ${i}: ${y[i]}, keep ${keep}`); // -0 === 0
      if (!keep) dropped++;
    }
    assert.ok(dropped / xs.length > 0.26 && dropped / xs.length < 0.34, `dropped ${dropped} of ${xs.length}`);
    const [dx] = tf.grads((v: tf.Tensor) => dropout(v, 0.3, 77).sum())([x]);
    assert.deepEqual(Array.from(dx!.dataSync()), Array.from(y, (v, i) => (v === 0 && xs[i] !== 0 ? 0 : Math.fround(1 / 0.7))));
    assert.notDeepEqual(Array.from(dropout(x, 0.3, 78).dataSync()), Array.from(y));
    assert.equal(dropout(x, 0, 77), x);
  });
});
