/**
 * The GPT's fused kernels on the cuda emulator, beyond the numeric cases of
 * tests/gpu/gpt_kernel_cases.ts: a bad input fails with the contract's own
 * error (kernel/fused/gpt/), the cuda-specific answers to out-of-range ids,
 * and a GPT training step that runs every fused kernel and keeps cpu's losses.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import {
  ADAMW_KERNEL, BIAS_GELU_KERNEL, CAUSAL_ATTENTION_KERNEL, DROPOUT_KERNEL, EMBEDDING_GRAD_KERNEL, GPT_FUSED_KERNEL_NAMES, GptKernelInputError,
  LAYER_NORM_KERNEL, VOCAB_CROSS_ENTROPY_KERNEL, validateAdamW, validateBiasGelu, validateCausalAttention, validateEmbeddingGrad,
  validateDropout, validateLayerNorm, validateVocabCrossEntropy,
} from "../../../kernel/fused/gpt/index";
import * as gpt from "../../../kernel/gpt/index";
import { GPT_KERNEL_CASES } from "../../gpu/gpt_kernel_cases";
import { checkCase } from "../../gpu/kernel_cases";
import { emulatedCudaSkipReason, registerEmulatedCuda } from "./emulated_cuda";

const run = (name: string, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown> = {}) =>
  tf.engine().runKernel(name, inputs as tf.NamedTensorMap, attrs as never) as tf.Tensor | tf.Tensor[];

/** The error `validate` throws, which the kernel must throw too. */
function contractError(validate: () => unknown): Error {
  try {
    validate();
  } catch (error) {
    return error as Error;
  }
  throw new Error("the validation accepted the inputs: the case is not a bad input");
}

const TINY = { vocabSize: 37, contextLength: 8, layers: 2, heads: 2, embedding: 16, dropout: 0, seed: 5 };
const TOKENS = Array.from({ length: 300 }, (_, i) => (i * 7 + (i >> 3)) % 37);

/** Two GPT training steps on `backend`: their losses and the kernels they ran. */
async function fitTwoSteps(backend: string, config: Partial<gpt.GptConfig>, batchSize: number, seed: number) {
  await tf.setBackend(backend);
  const model = gpt.create({ ...TINY, ...config });
  try {
    let history: gpt.FitHistory | undefined;
    const profile = await tf.profile(async () => {
      history = await model.fit(TOKENS, { steps: 2, batchSize, contextLength: 7, learningRate: 3e-3, seed });
      return [];
    });
    return { losses: history!.loss, kernels: new Set(profile.kernelNames) };
  } finally {
    model.dispose();
  }
}

describe("the GPT's fused kernels on the cuda emulator", { skip: emulatedCudaSkipReason() }, () => {
  let cleanup = () => {};
  before(async () => {
    cleanup = registerEmulatedCuda();
    assert.ok(await tf.setBackend("cuda"));
  });
  after(async () => {
    await tf.setBackend("cpu");
    cleanup();
  });

  it("registers every GPT fused kernel", () => {
    assert.deepEqual(GPT_FUSED_KERNEL_NAMES.filter((name) => tf.getKernel(name, "cuda") === undefined), []);
  });

  it("rejects bad inputs with the contract's error", () => {
    const x = tf.zeros([2, 7, 12]);
    const w11 = tf.zeros([11]);
    const ids = tf.zeros([5], "int32");
    const qkv = tf.zeros([1, 7, 35]);
    const logits = tf.zeros([7, 37]);
    const floatTargets = tf.zeros([7]);
    const p = tf.zeros([3, 4]);
    const one = tf.scalar(1);
    const x36 = tf.zeros([2, 7, 36]);
    const adamwAttrs = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0, step: 1 };
    const cases: Array<[string, () => unknown, () => unknown]> = [
      [LAYER_NORM_KERNEL, () => run(LAYER_NORM_KERNEL, { x, weight: w11, bias: w11 }, { epsilon: 1e-5 }), () => validateLayerNorm(x, w11, w11, 1e-5)],
      [BIAS_GELU_KERNEL, () => run(BIAS_GELU_KERNEL, { x, bias: w11 }), () => validateBiasGelu(x, w11)],
      [CAUSAL_ATTENTION_KERNEL, () => run(CAUSAL_ATTENTION_KERNEL, { qkv }, { heads: 3 }), () => validateCausalAttention(qkv, 3)],
      [EMBEDDING_GRAD_KERNEL, () => run(EMBEDDING_GRAD_KERNEL, { dy: logits, ids }, { vocab: 37 }), () => validateEmbeddingGrad(logits, ids, 37)],
      [VOCAB_CROSS_ENTROPY_KERNEL, () => run(VOCAB_CROSS_ENTROPY_KERNEL, { logits, targets: floatTargets }), () => validateVocabCrossEntropy(logits, floatTargets)],
      [ADAMW_KERNEL, () => run(ADAMW_KERNEL, { param: p, grad: p, m: p, v: p, gradScale: one }, { ...adamwAttrs, step: 0 }), () => validateAdamW(p, p, p, p, one, { ...adamwAttrs, step: 0 })],
      [ADAMW_KERNEL, () => run(ADAMW_KERNEL, { param: p, grad: p, m: p, v: p, gradScale: p }, adamwAttrs), () => validateAdamW(p, p, p, p, p, adamwAttrs)],
      [ADAMW_KERNEL, () => run(ADAMW_KERNEL, { param: p, grad: p, m: p, v: p }, adamwAttrs), () => validateAdamW(p, p, p, p, undefined, adamwAttrs)],
      [CAUSAL_ATTENTION_KERNEL, () => run(CAUSAL_ATTENTION_KERNEL, { qkv: x36 }, { heads: 3, dropout: 1, seed: 2 }), () => validateCausalAttention(x36, 3, 1, 2)],
      [CAUSAL_ATTENTION_KERNEL, () => run(CAUSAL_ATTENTION_KERNEL, { qkv: x36 }, { heads: 3, dropout: 0.1, seed: -1 }), () => validateCausalAttention(x36, 3, 0.1, -1)],
      [DROPOUT_KERNEL, () => run(DROPOUT_KERNEL, { x }, { rate: 1, seed: 3 }), () => validateDropout(x, 1, 3)],
      [DROPOUT_KERNEL, () => run(DROPOUT_KERNEL, { x }, { rate: 0.1, seed: 2.5 }), () => validateDropout(x, 0.1, 2.5)],
    ];
    for (const [name, kernel, validate] of cases) {
      const expected = contractError(validate);
      assert.ok(expected instanceof GptKernelInputError, `${name}: the contract throws a GptKernelInputError`);
      assert.throws(kernel, (error: unknown) => {
        assert.ok(error instanceof GptKernelInputError, `${name}: got ${String(error)}`);
        assert.equal(error.message, expected.message);
        return true;
      });
    }
    tf.dispose([x, w11, ids, qkv, logits, floatTargets, p, one, x36]);
  });

  it("reduces rows across several warps (64 threads per emulated block, two warps of 32)", async () => {
    const rowKernels = new Set([LAYER_NORM_KERNEL, `${LAYER_NORM_KERNEL}Grad`, CAUSAL_ATTENTION_KERNEL, `${CAUSAL_ATTENTION_KERNEL}Grad`, VOCAB_CROSS_ENTROPY_KERNEL]);
    const cases = GPT_KERNEL_CASES.filter((c) => rowKernels.has(c.kernel));
    assert.ok(cases.length >= 8);
    const saved = process.env["TSGPU_EMULATOR_THREADS"];
    process.env["TSGPU_EMULATOR_THREADS"] = "64";
    try {
      for (const c of cases) await checkCase(c);
    } finally {
      process.env["TSGPU_EMULATOR_THREADS"] = saved;
      await tf.setBackend("cuda");
    }
  });

  it("makes the loss NaN for a target outside the vocabulary, without reading it back", () => {
    tf.tidy(() => {
      const [loss, dlogits] = run(VOCAB_CROSS_ENTROPY_KERNEL, { logits: tf.zeros([3, 5]), targets: tf.tensor1d([0, 5, 1], "int32") }) as tf.Tensor[];
      assert.ok(Number.isNaN(loss!.dataSync()[0]));
      assert.deepEqual(dlogits!.shape, [3, 5]);
    });
  });

  it("skips ids outside the vocabulary in the embedding gradient", () => {
    tf.tidy(() => {
      const dy = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
      const dtable = run(EMBEDDING_GRAD_KERNEL, { dy, ids: tf.tensor1d([1, 9, 1], "int32") }, { vocab: 3 }) as tf.Tensor;
      assert.deepEqual(Array.from(dtable.dataSync()), [0, 0, 6, 8, 0, 0]);
    });
  });

  it("drops about `rate` of the elements on the device, a mask that follows the seed", () => {
    tf.tidy(() => {
      const ones = tf.ones([64, 64]);
      const a = run(DROPOUT_KERNEL, { x: ones }, { rate: 0.25, seed: 7 }) as tf.Tensor;
      const values = a.dataSync();
      const dropped = values.filter((v) => v === 0).length / values.length;
      assert.ok(dropped > 0.22 && dropped < 0.28, `dropped ${dropped} of the elements at rate 0.25`);
      assert.ok(values.every((v) => v === 0 || Math.abs(v - 1 / 0.75) < 1e-6), "kept elements are scaled by 1 / (1 - rate)");
      const again = (run(DROPOUT_KERNEL, { x: ones }, { rate: 0.25, seed: 7 }) as tf.Tensor).dataSync();
      const other = (run(DROPOUT_KERNEL, { x: ones }, { rate: 0.25, seed: 8 }) as tf.Tensor).dataSync();
      assert.deepEqual(Array.from(again), Array.from(values));
      assert.notDeepEqual(Array.from(other), Array.from(values));
    });
  });

  it("trains GPT steps with dropout made on the device, attention's fused, and the cpu backend's losses", async () => {
    const cpu = await fitTwoSteps("cpu", { dropout: 0.1 }, 2, 4);
    const cuda = await fitTwoSteps("cuda", { dropout: 0.1 }, 2, 4);
    assert.ok(cuda.kernels.has(DROPOUT_KERNEL), "the cuda step made its residual masks with TsgpuDropout");
    assert.ok(cuda.kernels.has(CAUSAL_ATTENTION_KERNEL) && cuda.kernels.has(`${CAUSAL_ATTENTION_KERNEL}Grad`), "attention with dropout ran fused");
    assert.ok(!cuda.kernels.has("Softmax"), "no unfused attention softmax");
    // The second step's loss follows the first step's gradients through attention's dropout.
    for (let step = 0; step < 2; step++) {
      assert.ok(Math.abs(cuda.losses[step]! - cpu.losses[step]!) < 1e-4, `step ${step}: cuda loss ${cuda.losses[step]} vs cpu ${cpu.losses[step]}`);
    }
    await tf.setBackend("cuda");
  });

  it("trains a GPT step with every fused kernel and the cpu backend's losses", async () => {
    const cpu = await fitTwoSteps("cpu", {}, 3, 11);
    const cuda = await fitTwoSteps("cuda", {}, 3, 11);
    assert.deepEqual(GPT_FUSED_KERNEL_NAMES.filter((name) => !cuda.kernels.has(name)), [], "fused kernels the cuda step did not run");
    assert.ok(!cpu.kernels.has(LAYER_NORM_KERNEL), "the cpu backend ran the reference ops");
    for (let step = 0; step < 2; step++) {
      // fp32 sums in another order (cuBLAS, block reductions, fused formulas): a few ulp per op.
      assert.ok(Math.abs(cuda.losses[step]! - cpu.losses[step]!) < 1e-4, `step ${step}: cuda loss ${cuda.losses[step]} vs cpu ${cpu.losses[step]}`);
    }
    await tf.setBackend("cuda");
  });
});
