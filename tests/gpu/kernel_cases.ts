/**
 * The kernel test cases shared by the GPU tier (tests/gpu) and the emulated
 * backend tests (tests/unit/cuda): each names the tfjs kernel it must reach,
 * its seeded inputs (odd sizes, broadcasting, zero-size, NaN/Inf) and the
 * tolerance, and is checked against tfjs's cpu backend by {@link checkCase}.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { DENSE_STACK_GRADIENTS_KERNEL, type DenseStackAttrs, LAYERS_EPSILON } from "../../kernel/fused/index";
import { bools, compare, floats, type InputSpec, ints, runOn } from "./reference";
import { CNN_KERNEL_CASES } from "./cnn_kernel_cases";

export interface KernelCase {
  /** The tfjs kernel the case must reach on cuda. */
  kernel: string;
  label: string;
  inputs: InputSpec[];
  run: (...t: tf.Tensor[]) => tf.Tensor | tf.Tensor[];
  atol?: number;
  rtol?: number;
}

export const KERNEL_CASES: KernelCase[] = [];
const cases = KERNEL_CASES;
const add = (kernel: string, label: string, inputs: InputSpec[], run: KernelCase["run"], tolerance: { atol?: number; rtol?: number } = {}) =>
  cases.push({ kernel, label, inputs, run, ...tolerance });

// Unary float ops: odd sizes, NaN/Inf, zero-size.
const unary: Array<[string, (x: tf.Tensor) => tf.Tensor, number, number]> = [
  ["Abs", tf.abs, -3, 3], ["Ceil", tf.ceil, -3, 3], ["Cos", tf.cos, -3, 3], ["Elu", tf.elu, -3, 3], ["Erf", tf.erf, -3, 3],
  ["Exp", tf.exp, -3, 3], ["Expm1", tf.expm1, -3, 3], ["Floor", tf.floor, -3, 3], ["IsNan", tf.isNaN, -3, 3],
  ["IsInf", tf.isInf, -3, 3], ["IsFinite", tf.isFinite, -3, 3], ["Log", tf.log, 0.01, 5], ["Log1p", tf.log1p, -0.9, 5],
  ["Neg", tf.neg, -3, 3], ["Reciprocal", tf.reciprocal, 0.1, 3], ["Relu", tf.relu, -3, 3], ["Relu6", tf.relu6, -3, 9],
  ["Round", tf.round, -3, 3], ["Rsqrt", tf.rsqrt, 0.01, 5], ["Sigmoid", tf.sigmoid, -8, 8], ["Sign", tf.sign, -3, 3],
  ["Sin", tf.sin, -3, 3], ["Softplus", tf.softplus, -8, 8], ["Sqrt", tf.sqrt, 0, 5], ["Square", tf.square, -3, 3],
  ["Tanh", tf.tanh, -3, 3], ["Step", (x) => tf.step(x, 0.25), -3, 3], ["LeakyRelu", (x) => tf.leakyRelu(x, 0.1), -3, 3],
  ["ClipByValue", (x) => tf.clipByValue(x, -1.5, 0.75), -3, 3],
  ["Tan", tf.tan, -1.4, 1.4], ["Asin", tf.asin, -1, 1], ["Acos", tf.acos, -1, 1], ["Atan", tf.atan, -5, 5],
  ["Sinh", tf.sinh, -3, 3], ["Cosh", tf.cosh, -3, 3], ["Asinh", tf.asinh, -5, 5], ["Acosh", tf.acosh, 1, 5],
  ["Atanh", tf.atanh, -0.99, 0.99], ["Selu", tf.selu, -3, 3],
];
for (const [kernel, op, low, high] of unary) {
  // Transcendentals: CUDA's libdevice and V8's Math differ by a few ulp.
  add(kernel, "[37, 11] with NaN/Inf", [floats([37, 11], low, high, true)], op, { atol: 1e-5, rtol: 1e-4 });
  add(kernel, "zero-size [0, 5]", [floats([0, 5])], op);
}
add("Abs", "int32 [13]", [ints([13])], tf.abs);
add("Neg", "int32 [13]", [ints([13])], tf.neg);
add("Square", "int32 [13]", [ints([13])], tf.square);
add("LogicalNot", "bool [29]", [bools([29])], tf.logicalNot);

// Binary ops with broadcasting.
const binary: Array<[string, (a: tf.Tensor, b: tf.Tensor) => tf.Tensor]> = [
  ["Add", tf.add], ["Sub", tf.sub], ["Multiply", tf.mul], ["RealDiv", tf.div], ["Maximum", tf.maximum], ["Minimum", tf.minimum],
  ["SquaredDifference", tf.squaredDifference], ["Atan2", tf.atan2], ["Mod", tf.mod], ["FloorDiv", tf.floorDiv],
  ["Equal", tf.equal], ["NotEqual", tf.notEqual], ["Less", tf.less], ["LessEqual", tf.lessEqual], ["Greater", tf.greater],
  ["GreaterEqual", tf.greaterEqual],
];
const shapes: Array<[string, number[], number[]]> = [
  ["same shape [7, 13]", [7, 13], [7, 13]],
  ["row broadcast [5, 1, 9] x [3, 1]", [5, 1, 9], [3, 1]],
  ["scalar", [17], []],
  ["rank 6 [2, 1, 3, 1, 2, 3] x [3, 2, 1, 1]", [2, 1, 3, 1, 2, 3], [3, 2, 1, 1]],
  ["zero-size [0, 3] x [1, 3]", [0, 3], [1, 3]],
];
for (const [kernel, op] of binary) {
  for (const [label, sa, sb] of shapes) add(kernel, label, [floats(sa, -3, 3), floats(sb, 0.5, 3)], op, { atol: 1e-5, rtol: 1e-4 });
}
for (const [kernel, op] of binary.filter(([k]) => k !== "RealDiv" && k !== "Atan2")) {
  add(kernel, "int32 broadcast [4, 7] x [7]", [ints([4, 7]), ints([7], 1, 6)], op);
}
add("FloorDiv", "int32 negative divisors", [ints([31], -20, 20), ints([31], -5, -1)], tf.floorDiv);
add("Pow", "float [9, 5] ^ [5]", [floats([9, 5], 0.1, 3), floats([5], -2, 2)], tf.pow, { atol: 1e-5, rtol: 1e-4 });
add("Pow", "int32", [ints([11], -4, 4), ints([11], 0, 4)], tf.pow);
add("Prelu", "[6, 7] alpha [7]", [floats([6, 7]), floats([7], 0, 1)], (x, a) => tf.prelu(x, a));
add("EluGrad", "Elu's gradient [9, 7]", [floats([9, 7]), floats([9, 7])], (x, dy) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.elu(v), dy)))(x), { atol: 1e-5, rtol: 1e-4 });
add("BitwiseAnd", "int32 [4, 7] & [4, 7]", [ints([4, 7], 0, 1000), ints([4, 7], 0, 1000)], (a, b) => tf.bitwiseAnd(a, b));
add("LogicalAnd", "bool broadcast", [bools([5, 7]), bools([7])], tf.logicalAnd);
add("LogicalOr", "bool broadcast", [bools([5, 7]), bools([5, 1])], tf.logicalOr);
add("Add", "bool + int32 upcast", [bools([9]), ints([9])], (a, b) => tf.add(a.toInt(), b));

// Reductions over inner, outer and several axes.
const reductions: Array<[string, (x: tf.Tensor, axis: number | number[], keep: boolean) => tf.Tensor]> = [
  ["Sum", tf.sum], ["Mean", tf.mean], ["Max", tf.max], ["Min", tf.min], ["Prod", tf.prod],
];
for (const [kernel, op] of reductions) {
  const range = kernel === "Prod" ? [0.5, 1.5] : [-3, 3];
  add(kernel, "[33, 257] axis 1", [floats([33, 257], range[0], range[1])], (x) => op(x, 1, false), { atol: 1e-4, rtol: 1e-4 });
  add(kernel, "[33, 17] axis 0 keepDims", [floats([33, 17], range[0], range[1])], (x) => op(x, 0, true), { atol: 1e-4, rtol: 1e-4 });
  add(kernel, "[3, 5, 7] axes [0, 2]", [floats([3, 5, 7], range[0], range[1])], (x) => op(x, [0, 2], false), { atol: 1e-4, rtol: 1e-4 });
  add(kernel, "all of [100003]", [floats([100003], range[0], range[1])], (x) => op(x, -1, false), { atol: 1e-3, rtol: 1e-3 });
}
add("Sum", "int32 [9, 11] axis 1", [ints([9, 11])], (x) => tf.sum(x, 1));
add("Sum", "many leading rows [5000, 3] axis 0", [floats([5000, 3])], (x) => tf.sum(x, 0), { atol: 1e-3, rtol: 1e-4 });
add("Mean", "two leading axes of [2, 3, 7]", [floats([2, 3, 7])], (x) => tf.mean(x, [1, 0]), { atol: 1e-5, rtol: 1e-4 });
add("Max", "int32 leading axis keepDims", [ints([6, 5])], (x) => tf.max(x, 0, true));
add("Sum", "bool -> int32", [bools([9, 11])], (x) => tf.sum(x, 0));
add("Max", "with NaN", [floats([7, 19], -3, 3, true)], (x) => tf.max(x, 1));
add("Max", "zero-size rows [0, 5]", [floats([0, 5])], (x) => tf.max(x, 1));
add("Cumsum", "[5, 7, 3] axis 1", [floats([5, 7, 3])], (x) => tf.cumsum(x, 1), { atol: 1e-5, rtol: 1e-4 });
add("Cumsum", "exclusive reverse, axis 1 of [4, 9]", [floats([4, 9])], (x) => tf.cumsum(x, 1, true, true), { atol: 1e-5, rtol: 1e-4 });
add("Cumsum", "int32 [13]", [ints([13])], (x) => tf.cumsum(x));
add("Cumsum", "bool -> int32", [bools([3, 5])], (x) => tf.cumsum(x, 1));
add("Cumprod", "[3, 6] axis 1", [floats([3, 6], 0.5, 1.5)], (x) => tf.cumprod(x, 1), { atol: 1e-5, rtol: 1e-4 });
add("Cumprod", "int32 exclusive, axis 0", [ints([4, 3], -3, 4)], (x) => tf.cumprod(x, 0, true));
add("Any", "bool [6, 9] axis 1", [bools([6, 9])], (x) => tf.any(x, 1));
add("All", "bool [6, 9] axis 0", [bools([6, 9])], (x) => tf.all(x, 0));
add("ArgMax", "[41, 10] axis 1", [floats([41, 10])], (x) => tf.argMax(x, 1));
add("ArgMax", "[41, 10] axis 0", [floats([41, 10])], (x) => tf.argMax(x, 0));
add("ArgMax", "ties pick the first", [{ values: [1, 3, 3, 0, 2, 2, 2, 1], shape: [2, 4], dtype: "float32" }], (x) => tf.argMax(x, 1));
add("ArgMax", "with NaN", [floats([9, 13], -3, 3, true)], (x) => tf.argMax(x, 1));
add("ArgMin", "int32 [7, 300] axis 1", [ints([7, 300])], (x) => tf.argMin(x, 1));

// Matmul and fused matmul (cuBLAS).
for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
  const a = ta ? [67, 33] : [33, 67];
  const b = tb ? [19, 67] : [67, 19];
  add("BatchMatMul", `[33, 67] x [67, 19] transposeA=${ta} transposeB=${tb}`, [floats(a), floats(b)], (x, y) => tf.matMul(x, y, ta, tb), { atol: 1e-4, rtol: 1e-4 });
}
add("BatchMatMul", "batched [3, 5, 7] x [3, 7, 2]", [floats([3, 5, 7]), floats([3, 7, 2])], (x, y) => tf.matMul(x, y), { atol: 1e-4, rtol: 1e-4 });
add("BatchMatMul", "broadcast batch [4, 5, 7] x [1, 7, 3]", [floats([4, 5, 7]), floats([1, 7, 3])], (x, y) => tf.matMul(x, y), { atol: 1e-4, rtol: 1e-4 });
add("BatchMatMul", "zero inner dimension", [floats([3, 0]), floats([0, 4])], (x, y) => tf.matMul(x, y));
add("BatchMatMul", "int32", [ints([5, 6], -5, 5), ints([6, 3], -5, 5)], (x, y) => tf.matMul(x, y));
for (const activation of ["linear", "relu", "relu6", "elu", "sigmoid", "leakyrelu"] as const) {
  add("_FusedMatMul", `[128, 784] x [784, 129] + bias, ${activation}`, [floats([128, 784], -1, 1), floats([784, 129], -0.1, 0.1), floats([129])],
    (x, w, b) => tf.fused.matMul({ a: x, b: w, bias: b, activation }), { atol: 1e-4, rtol: 1e-3 });
}
add("_FusedMatMul", "scalar-like bias [1], relu", [floats([6, 4]), floats([4, 3]), floats([1])],
  (x, w, b) => tf.fused.matMul({ a: x, b: w, bias: b, activation: "relu" }), { atol: 1e-5, rtol: 1e-4 });
add("_FusedMatMul", "no bias, linear", [floats([6, 4]), floats([4, 3])], (x, w) => tf.fused.matMul({ a: x, b: w }), { atol: 1e-5, rtol: 1e-4 });
add("_FusedMatMul", "prelu, transposeB", [floats([9, 8]), floats([5, 8]), floats([5]), floats([5], 0, 1)],
  (x, w, b, alpha) => tf.fused.matMul({ a: x, b: w, transposeB: true, bias: b, activation: "prelu", preluActivationWeights: alpha }), { atol: 1e-5, rtol: 1e-4 });

// Data movement and creation.
add("Cast", "float -> int32 (NaN, Inf, negatives)", [floats([23], -5, 5, true)], (x) => tf.cast(x, "int32"));
add("Cast", "float -> bool", [floats([23], -1, 1, true)], (x) => tf.cast(x, "bool"));
add("Cast", "int32 -> float", [ints([23])], (x) => tf.cast(x, "float32"));
add("Cast", "bool -> float", [bools([23])], (x) => tf.cast(x, "float32"));
add("Identity", "clone", [floats([5, 3])], (x) => tf.clone(x));
add("Reshape", "[6, 4] -> [3, 8]", [floats([6, 4])], (x) => tf.reshape(x, [3, 8]).add(1));
add("Fill", "float", [], () => tf.fill([7, 3], 2.5));
add("Fill", "int32", [], () => tf.fill([5], 7, "int32"));
add("ZerosLike", "[9, 2]", [floats([9, 2])], (x) => tf.zerosLike(x));
add("OnesLike", "int32 [9]", [ints([9])], (x) => tf.onesLike(x));
add("Range", "float step", [], () => tf.range(-2, 5, 0.75));
add("Range", "int32 down", [], () => tf.range(10, 1, -3, "int32"));
add("OneHot", "[13] depth 10 with out-of-range", [{ values: [0, 9, 3, -1, 10, 5, 5, 2, 8, 1, 0, 7, 4], shape: [13], dtype: "int32" }], (x) => tf.oneHot(x, 10));
add("Select", "same shape", [bools([7, 5]), floats([7, 5]), floats([7, 5])], (c, a, b) => tf.where(c, a, b));
add("Select", "broadcast condition [1, 5]", [bools([1, 5]), floats([7, 5]), floats([7, 5])], (c, a, b) => tf.where(c, a, b));
add("Softmax", "[129, 10]", [floats([129, 10], -10, 10)], (x) => tf.softmax(x), { atol: 1e-6, rtol: 1e-4 });
add("Softmax", "[3, 1000] wide rows", [floats([3, 1000], -30, 30)], (x) => tf.softmax(x), { atol: 1e-6, rtol: 1e-4 });
add("Softmax", "zero rows [0, 10]", [floats([0, 10])], (x) => tf.softmax(x));
add("GatherV2", "rows of [50, 7]", [floats([50, 7]), ints([23], 0, 50)], (x, i) => tf.gather(x, i));
add("GatherV2", "axis 1 of [4, 9, 3] with 2-d indices", [floats([4, 9, 3]), ints([2, 5], 0, 9)], (x, i) => tf.gather(x, i, 1));
add("GatherV2", "int32 values", [ints([30]), ints([8], 0, 30)], (x, i) => tf.gather(x, i));
add("UnsortedSegmentSum", "rows of [23, 7] into 5 segments, ids out of range dropped", [floats([23, 7]), ints([23], -1, 6)], (x, ids) => tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 5), { atol: 1e-5, rtol: 1e-4 });
add("UnsortedSegmentSum", "int32 [9, 2, 3]", [ints([9, 2, 3]), ints([9], 0, 4)], (x, ids) => tf.unsortedSegmentSum(x, ids as tf.Tensor1D, 4));
add("UnsortedSegmentSum", "GatherV2's gradient (an embedding's)", [floats([11, 6]), ints([2, 9], 0, 11), floats([2, 9, 6])],
  (table, ids, dy) => tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), dy)))(table), { atol: 1e-5, rtol: 1e-4 });
add("Slice", "[17, 23] box", [floats([17, 23])], (x) => tf.slice(x, [3, 5], [9, 11]));
add("Slice", "rank 4 inner", [floats([3, 4, 5, 6])], (x) => tf.slice(x, [1, 0, 2, 1], [2, 4, 2, 5]));
add("Slice", "empty", [floats([5, 5])], (x) => tf.slice(x, [2, 2], [0, 3]));
add("Transpose", "[37, 53] 2-d", [floats([37, 53])], (x) => tf.transpose(x));
add("Transpose", "[2, 3, 4, 5] perm [2, 0, 3, 1]", [floats([2, 3, 4, 5])], (x) => tf.transpose(x, [2, 0, 3, 1]));
add("Concat", "axis 1 of three", [floats([3, 4]), floats([3, 1]), floats([3, 6])], (a, b, c) => tf.concat([a, b, c], 1));
add("Concat", "axis 0 with a zero-size part", [floats([2, 5]), floats([0, 5]), floats([3, 5])], (a, b, c) => tf.concat([a, b, c], 0));
add("Pack", "stack axis 1", [floats([4, 3]), floats([4, 3])], (a, b) => tf.stack([a, b], 1));
add("Unpack", "unstack axis 1", [floats([3, 4, 2])], (x) => tf.unstack(x, 1));
add("SplitV", "sizes [2, 5, 1] on axis 1", [floats([3, 8])], (x) => tf.split(x, [2, 5, 1], 1));
add("PadV2", "[5, 3] padded [[1, 2], [0, 3]] with 1.5", [floats([5, 3])], (x) => tf.pad(x, [[1, 2], [0, 3]], 1.5));
add("PadV2", "int32 rank 3, one side only", [ints([2, 3, 4])], (x) => tf.pad(x, [[0, 0], [2, 0], [0, 1]], 7));
add("PadV2", "zero-size input padded", [floats([0, 3])], (x) => tf.pad(x, [[1, 1], [0, 0]]));
add("PadV2", "the gradient of Slice", [floats([6, 7]), floats([3, 4])], (x, dy) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.slice(v, [1, 2], [3, 4]), dy)))(x));
add("Reverse", "axes [0, 2] of [3, 4, 5]", [floats([3, 4, 5])], (x) => tf.reverse(x, [0, 2]));
add("Reverse", "int32 all of [7]", [ints([7])], (x) => tf.reverse(x));
add("ExpandDims", "axis -1 of [4, 3]", [floats([4, 3])], (x) => tf.expandDims(x, -1).add(1));
add("Tile", "[3, 1, 2] x [2, 4, 3]", [floats([3, 1, 2])], (x) => tf.tile(x, [2, 4, 3]));
add("AddN", "three tensors", [floats([7, 9]), floats([7, 9]), floats([7, 9])], (a, b, c) => tf.addN([a, b, c]), { atol: 1e-6, rtol: 1e-5 });

// tsgpu's fused kernels, reached through the public ops that use them; the cpu
// reference runs tfjs's unfused formulas.
/** Three Adam steps on a variable made from `value`, with gradients g1..g3; returns the value and both moments. */
function adamSteps(value: tf.Tensor, g1: tf.Tensor, g2: tf.Tensor, g3: tf.Tensor): tf.Tensor[] {
  const variable = tf.variable(value);
  const optimizer = tf.train.adam(0.05);
  for (const g of [g1, g2, g3]) optimizer.applyGradients({ [variable.name]: g } as unknown as tf.NamedTensorMap as never);
  const state = (optimizer as unknown as { accumulatedFirstMoment: { variable: tf.Variable }[]; accumulatedSecondMoment: { variable: tf.Variable }[] });
  const result = [variable, state.accumulatedFirstMoment[0]!.variable, state.accumulatedSecondMoment[0]!.variable].map((t) => t.clone());
  variable.dispose();
  optimizer.dispose();
  return result;
}
add("TsgpuAdamUpdate", "3 steps on [129, 7], gradients with a NaN", [floats([129, 7]), floats([129, 7], -3, 3, true), floats([129, 7]), floats([129, 7])], adamSteps, { atol: 1e-5, rtol: 1e-4 });
add("TsgpuAdamUpdate", "3 steps on a scalar", [floats([]), floats([]), floats([]), floats([])], adamSteps, { atol: 1e-5, rtol: 1e-4 });
const reluGradient = (x: tf.Tensor, dy: tf.Tensor) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.relu(v), dy)))(x);
add("TsgpuReluGrad", "[37, 11] with NaN/Inf in x and dy", [floats([37, 11], -3, 3, true), floats([37, 11], -3, 3, true)], reluGradient);
add("TsgpuReluGrad", "zero-size [0, 5]", [floats([0, 5]), floats([0, 5])], reluGradient);
/** tfjs-layers' categorical cross-entropy as a compiled model uses it, forward and (with weights w per row) backward. */
function compiledCrossentropy(): (yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [1], units: 1 })] });
  model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
  const loss = (model as unknown as { model: { lossFunctions: Array<(yTrue: tf.Tensor, yPred: tf.Tensor) => tf.Tensor> } }).model.lossFunctions[0]!;
  model.dispose();
  return loss;
}
const crossentropyCases = (label: string, shape: number[]) => {
  const rows = shape.slice(0, -1);
  add("TsgpuCategoricalCrossentropy", `${label} loss`, [floats(shape, 0, 1), floats(shape, 0, 1)], (t, p) => compiledCrossentropy()(t, p), { atol: 1e-5, rtol: 1e-4 });
  add("TsgpuCategoricalCrossentropyGrad", `${label} gradient`, [floats(shape, 0, 1), floats(shape, 0, 1), floats(rows, -1, 1)],
    (t, p, w) => tf.grad((x: tf.Tensor) => tf.sum(tf.mul(compiledCrossentropy()(t, x), w)))(p), { atol: 1e-5, rtol: 1e-4 });
};
crossentropyCases("[129, 10] soft targets", [129, 10]);
const softmaxGradient = (x: tf.Tensor, w: tf.Tensor) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.softmax(v), w)))(x);
add("TsgpuSoftmaxGrad", "[129, 10]", [floats([129, 10], -3, 3), floats([129, 10], -1, 1)], softmaxGradient, { atol: 1e-6, rtol: 1e-4 });
add("TsgpuSoftmaxGrad", "rank 3 [2, 3, 17]", [floats([2, 3, 17], -3, 3), floats([2, 3, 17], -1, 1)], softmaxGradient, { atol: 1e-6, rtol: 1e-4 });
crossentropyCases("rank 3 [3, 5, 7]", [3, 5, 7]);

/**
 * The dense-stack contract (kernel/fused/dense_stack.ts) for x [rows, 4, 5]
 * through relu (bias), linear (no bias) and softmax (bias) layers: the kernel
 * where the backend registers it, else the same computation as tfjs ops with
 * tfjs-layers' loss and tf.grads (what the cpu backend runs as the reference).
 */
function denseStackStep(x: tf.Tensor, target: tf.Tensor, k0: tf.Tensor, b0: tf.Tensor, k1: tf.Tensor, k2: tf.Tensor, b2: tf.Tensor): tf.Tensor[] {
  const attrs: DenseStackAttrs = {
    layers: [{ activation: "relu", useBias: true }, { activation: "linear", useBias: false }, { activation: "softmax", useBias: true }],
    epsilon: LAYERS_EPSILON,
  };
  if (tf.getKernel(DENSE_STACK_GRADIENTS_KERNEL, tf.getBackend())) {
    const inputs = { x, target, kernel0: k0, bias0: b0, kernel1: k1, kernel2: k2, bias2: b2 } as unknown as tf.NamedTensorMap;
    return tf.engine().runKernel(DENSE_STACK_GRADIENTS_KERNEL, inputs, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[];
  }
  const forward = (w0: tf.Tensor, c0: tf.Tensor, w1: tf.Tensor, w2: tf.Tensor, c2: tf.Tensor) => {
    const hidden = tf.matMul(tf.relu(tf.add(tf.matMul(tf.reshape(x, [x.shape[0]!, -1]), w0), c0)), w1);
    return tf.softmax(tf.add(tf.matMul(hidden, w2), c2));
  };
  const loss = compiledCrossentropy();
  const { value, grads } = tf.valueAndGrads((...w: tf.Tensor[]) => tf.mean(loss(target, forward(...(w as [tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor, tf.Tensor])))))([k0, b0, k1, k2, b2]);
  return [value, forward(k0, b0, k1, k2, b2), ...grads];
}
const denseStackInputs = (rows: number): InputSpec[] => [
  floats([rows, 4, 5], -1, 1), floats([rows, 3], 0, 1), floats([20, 9], -0.5, 0.5), floats([9], -0.1, 0.1), floats([9, 6], -0.5, 0.5), floats([6, 3], -0.5, 0.5), floats([3], -0.1, 0.1),
];
add("TsgpuDenseStackGradients", "relu, linear and softmax layers, 37 rows", denseStackInputs(37), denseStackStep, { atol: 1e-5, rtol: 1e-4 });
add("TsgpuDenseStackGradients", "one row", denseStackInputs(1), denseStackStep, { atol: 1e-5, rtol: 1e-4 });

// Convolutions, pooling, batch normalisation (cnn_kernel_cases.ts).
cases.push(...CNN_KERNEL_CASES);

/** Runs a case on the cpu backend and on `backend`; fails with the first mismatch. */
export async function checkCase(c: KernelCase, backend = "cuda"): Promise<void> {
  const expected = await runOn("cpu", c.inputs, c.run);
  const actual = await runOn(backend, c.inputs, c.run);
  assert.ok(actual.kernels.includes(c.kernel), `${c.kernel} not called on ${backend} (called: ${actual.kernels.join(", ")})`);
  const mismatch = compare(actual.results, expected.results, c.atol ?? 1e-6, c.rtol ?? 1e-3);
  assert.equal(mismatch, undefined, mismatch);
}
