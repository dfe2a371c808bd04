import assert from "node:assert/strict";
import { describe, it } from "node:test";
import * as tf from "@tensorflow/tfjs";
import { FusedKernelInputError, RELU_GRAD_KERNEL, validateDenseStackInputs, validateReluGradInputs, validateSoftmaxGradInputs } from "../../../kernel/fused/index.js";
import { skipReason } from "../cpu_blas/compare.js";
import { BAD_INPUT_CASES, thrownBy } from "./bad_inputs.js";

describe("fused kernel input validation", () => {
  it("names the kernel, the input, what it got and what was expected", () => {
    assert.throws(() => validateReluGradInputs({ dtype: "float32", shape: [2, 3] }, { dtype: "float32", shape: [3, 2] }), (error: unknown) => {
      assert.ok(error instanceof FusedKernelInputError);
      assert.equal(error.kernel, RELU_GRAD_KERNEL);
      assert.equal(error.input, "dy");
      assert.equal(error.message, "TsgpuReluGrad: dy is float32 [2,3], expected float32 [3,2] (the shape of x)");
      return true;
    });
  });

  it("returns the rows and columns of a softmax gradient, zero-size included", () => {
    assert.deepEqual(validateSoftmaxGradInputs({ dtype: "float32", shape: [2, 3, 4] }, { dtype: "float32", shape: [2, 3, 4] }), { rows: 6, columns: 4 });
    assert.deepEqual(validateSoftmaxGradInputs({ dtype: "float32", shape: [2, 0] }, { dtype: "float32", shape: [2, 0] }), { rows: 0, columns: 0 });
  });

  it("returns the dense stack's rows, features and per-layer sizes", () => {
    const t = (...shape: number[]) => ({ dtype: "float32", shape });
    const checked = validateDenseStackInputs({ x: t(4, 2, 3), target: t(4, 3), kernel0: t(6, 5), bias0: t(5), kernel1: t(5, 3) }, {
      layers: [{ activation: "relu", useBias: true }, { activation: "softmax", useBias: false }],
      epsilon: 1e-7,
    });
    assert.equal(checked.rows, 4);
    assert.equal(checked.features, 6);
    assert.equal(checked.classes, 3);
    assert.deepEqual(checked.weights.map((w) => [w.inputSize, w.units, w.bias !== undefined]), [[6, 5, true], [5, 3, false]]);
  });

  describe("on cpu-blas", { skip: skipReason }, () => {
    for (const c of BAD_INPUT_CASES) {
      it(`${c.kernel} rejects ${c.label}`, async () => {
        await tf.setBackend("cpu-blas");
        const error = thrownBy(c);
        assert.ok(error instanceof FusedKernelInputError, `expected a FusedKernelInputError, got ${String(error)}`);
        assert.equal(error.kernel, c.kernel);
        assert.equal(error.input, c.input);
      });
    }
  });
});
