/**
 * Kernel cases of the CNN families (conv, pool, batchnorm): NHWC, odd sizes,
 * stride 2, 'same'/'valid'/explicit padding, dilation, batch 1, one channel,
 * zero-size batches; gradients reached through tf.grad as model.fit reaches
 * them. Appended to KERNEL_CASES (kernel_cases.ts) for the GPU tier; the
 * emulated unit tests (tests/unit/cuda/{conv,pool,batchnorm}.test.ts) run
 * them per family. Sizes stay tiny: the emulator runs them on the CPU.
 *
 * Tolerances: convolutions sum up to ~60 products in a different order than
 * tfjs's cpu loops (cuBLAS blocking), so atol 1e-5 / rtol 1e-4.
 */
import * as tf from "@tensorflow/tfjs";
import { floats, type InputSpec } from "./reference";
import type { KernelCase } from "./kernel_cases";

type Run = KernelCase["run"];
const SUMS = { atol: 1e-5, rtol: 1e-4 };

export const CONV_CASES: KernelCase[] = [];
export const POOL_CASES: KernelCase[] = [];
export const BATCHNORM_CASES: KernelCase[] = [];

const adder = (list: KernelCase[]) => (kernel: string, label: string, inputs: InputSpec[], run: Run, tolerance: { atol?: number; rtol?: number } = SUMS) =>
  list.push({ kernel, label, inputs, run, ...tolerance });
const conv = adder(CONV_CASES);
const pool = adder(POOL_CASES);
const batchNorm = adder(BATCHNORM_CASES);

type Pad = "same" | "valid" | [[number, number], [number, number], [number, number], [number, number]];
interface ConvGeometry { label: string; x: number[]; filter: number[]; strides: number | [number, number]; pad: Pad; dilations?: number | [number, number] }

const CONV_GEOMETRIES: ConvGeometry[] = [
  { label: "[2, 7, 6, 3] * [3, 3, 3, 4] valid", x: [2, 7, 6, 3], filter: [3, 3, 3, 4], strides: 1, pad: "valid" },
  { label: "stride 2 same, odd sizes", x: [2, 9, 7, 2], filter: [3, 3, 2, 5], strides: 2, pad: "same" },
  { label: "strides [2, 1], explicit pads", x: [1, 6, 5, 3], filter: [2, 3, 3, 2], strides: [2, 1], pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
  { label: "1x1 filter (no im2col)", x: [2, 5, 4, 3], filter: [1, 1, 3, 4], strides: 1, pad: "valid" },
  { label: "batch 1, one channel, 5x5 same", x: [1, 8, 8, 1], filter: [5, 5, 1, 3], strides: 1, pad: "same" },
];
const DILATED: ConvGeometry = { label: "dilation 2 same", x: [1, 9, 8, 2], filter: [3, 2, 2, 3], strides: 1, pad: "same", dilations: 2 };
const EMPTY: ConvGeometry = { label: "zero-size batch", x: [0, 5, 5, 2], filter: [3, 3, 2, 3], strides: 1, pad: "same" };

/** The output shape of a convolution, from tfjs's own geometry (no tensors: this runs at import). */
const outShape = (g: ConvGeometry, depthwise: boolean) =>
  tf.backend_util.computeConv2DInfo(g.x as [number, number, number, number], g.filter as [number, number, number, number], g.strides, g.dilations ?? 1, g.pad, undefined, depthwise).outShape;

for (const g of [...CONV_GEOMETRIES, DILATED, EMPTY]) {
  conv("Conv2D", g.label, [floats(g.x), floats(g.filter, -0.5, 0.5)], (x, f) => tf.conv2d(x as tf.Tensor4D, f as tf.Tensor4D, g.strides, g.pad as "same", "NHWC", g.dilations));
}
for (const g of [...CONV_GEOMETRIES, EMPTY]) {
  // tfjs has no conv2d gradient for dilations > 1.
  const dyShape = outShape(g, false);
  const gradients = (x: tf.Tensor, f: tf.Tensor, w: tf.Tensor) =>
    tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, g.strides, g.pad as "same"), w)))([x, f]);
  const inputs = () => [floats(g.x), floats(g.filter, -0.5, 0.5), floats(dyShape)];
  conv("Conv2DBackpropInput", `gradient, ${g.label}`, inputs(), (x, f, w) => gradients(x!, f!, w!)[0]!);
  conv("Conv2DBackpropFilter", `gradient, ${g.label}`, inputs(), (x, f, w) => gradients(x!, f!, w!)[1]!);
}
conv("Conv2DBackpropInput", "conv2dTranspose stride 2 same", [floats([2, 4, 3, 5]), floats([3, 3, 2, 5], -0.5, 0.5)],
  (dy, f) => tf.conv2dTranspose(dy as tf.Tensor4D, f as tf.Tensor4D, [2, 7, 6, 2], 2, "same"));

const FUSED_ACTIVATIONS = ["linear", "relu", "relu6", "elu", "leakyrelu", "sigmoid"] as const;
for (const activation of FUSED_ACTIVATIONS) {
  conv("FusedConv2D", `bias + ${activation}, stride 2 same`, [floats([2, 7, 6, 3]), floats([3, 3, 3, 4], -0.5, 0.5), floats([4])],
    (x, f, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: "same", bias: b, activation, leakyreluAlpha: 0.15 }));
}
conv("FusedConv2D", "prelu with per-channel weights", [floats([1, 6, 5, 2]), floats([3, 3, 2, 3], -0.5, 0.5), floats([3]), floats([3], 0, 1)],
  (x, f, b, a) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: "valid", bias: b, activation: "prelu", preluActivationWeights: a }));
conv("FusedConv2D", "no bias, relu, dilation 2", [floats([1, 9, 8, 2]), floats([3, 3, 2, 3], -0.5, 0.5)],
  (x, f) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 1, pad: "same", dilations: 2, activation: "relu" }));

const DEPTHWISE_GEOMETRIES: ConvGeometry[] = [
  { label: "[2, 7, 6, 3] * [3, 3, 3, 2] same", x: [2, 7, 6, 3], filter: [3, 3, 3, 2], strides: 1, pad: "same" },
  { label: "stride 2 valid, multiplier 1", x: [1, 9, 7, 4], filter: [3, 3, 4, 1], strides: 2, pad: "valid" },
  { label: "one channel, explicit pads", x: [2, 5, 6, 1], filter: [2, 3, 1, 3], strides: 1, pad: [[0, 0], [1, 0], [2, 1], [0, 0]] },
];
for (const g of [...DEPTHWISE_GEOMETRIES, { ...DILATED, label: "dilation 2 same", filter: [3, 2, 2, 2] }, { ...EMPTY, filter: [3, 3, 2, 1] }]) {
  conv("DepthwiseConv2dNative", g.label, [floats(g.x), floats(g.filter, -0.5, 0.5)],
    (x, f) => tf.depthwiseConv2d(x as tf.Tensor4D, f as tf.Tensor4D, g.strides, g.pad as "same", "NHWC", g.dilations));
}
for (const g of DEPTHWISE_GEOMETRIES) {
  const dyShape = outShape(g, true);
  const gradients = (x: tf.Tensor, f: tf.Tensor, w: tf.Tensor) =>
    tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.depthwiseConv2d(a as tf.Tensor4D, b as tf.Tensor4D, g.strides, g.pad as "same"), w)))([x, f]);
  const inputs = () => [floats(g.x), floats(g.filter, -0.5, 0.5), floats(dyShape)];
  conv("DepthwiseConv2dNativeBackpropInput", `gradient, ${g.label}`, inputs(), (x, f, w) => gradients(x!, f!, w!)[0]!);
  conv("DepthwiseConv2dNativeBackpropFilter", `gradient, ${g.label}`, inputs(), (x, f, w) => gradients(x!, f!, w!)[1]!);
}
conv("FusedDepthwiseConv2D", "bias + relu6, stride 2 same", [floats([2, 7, 6, 3]), floats([3, 3, 3, 2], -0.5, 0.5), floats([6])],
  (x, f, b) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: f as tf.Tensor4D, strides: 2, pad: "same", bias: b, activation: "relu6" }));

// Pooling: forward, and gradients through tf.grad.
interface PoolGeometry { label: string; x: number[]; size: number | [number, number]; strides: number | [number, number]; pad: "same" | "valid" | number }
const POOL_GEOMETRIES: PoolGeometry[] = [
  { label: "[2, 7, 6, 3] 2x2 stride 2 valid", x: [2, 7, 6, 3], size: 2, strides: 2, pad: "valid" },
  { label: "3x3 stride 2 same, odd sizes", x: [1, 9, 7, 2], size: 3, strides: 2, pad: "same" },
  { label: "overlapping 3x2 stride 1 same, one channel", x: [2, 5, 6, 1], size: [3, 2], strides: 1, pad: "same" },
  { label: "numeric pad 1", x: [1, 6, 6, 2], size: 3, strides: 2, pad: 1 },
];
for (const g of POOL_GEOMETRIES) {
  const x = floats(g.x);
  const shapeOut = tf.backend_util.computePool2DInfo(g.x as [number, number, number, number], g.size, g.strides, 1, g.pad).outShape;
  pool("MaxPool", g.label, [x], (t) => tf.maxPool(t as tf.Tensor4D, g.size, g.strides, g.pad));
  pool("AvgPool", g.label, [x], (t) => tf.avgPool(t as tf.Tensor4D, g.size, g.strides, g.pad));
  pool("MaxPoolGrad", `gradient, ${g.label}`, [x, floats(shapeOut)], (t, w) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.maxPool(v as tf.Tensor4D, g.size, g.strides, g.pad), w!)))(t!));
  pool("AvgPoolGrad", `gradient, ${g.label}`, [x, floats(shapeOut)], (t, w) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(v as tf.Tensor4D, g.size, g.strides, g.pad), w!)))(t!));
}
pool("MaxPool", "with NaN/Inf", [floats([2, 6, 5, 3], -3, 3, true)], (t) => tf.maxPool(t as tf.Tensor4D, 2, 2, "valid"));
pool("MaxPool", "ties go to the first max (gradient)", [{ values: [1, 3, 3, 0, 2, 2, 2, 1, 5, 5, 4, 5, 0, 0, 0, 0], shape: [1, 4, 4, 1], dtype: "float32" }],
  (t) => tf.grad((v: tf.Tensor) => tf.sum(tf.maxPool(v as tf.Tensor4D, 2, 2, "valid")))(t));
pool("MaxPool", "zero-size batch", [floats([0, 4, 4, 2])], (t) => tf.maxPool(t as tf.Tensor4D, 2, 2, "valid"));
pool("AvgPool", "global average (globalAveragePooling2d style) [2, 5, 5, 3] 5x5", [floats([2, 5, 5, 3])], (t) => tf.avgPool(t as tf.Tensor4D, 5, 1, "valid"));

// Batch normalisation (inference and training formulas: the training statistics come from tf.moments).
batchNorm("FusedBatchNorm", "[2, 5, 3, 4] with per-channel mean, variance, offset, scale", [floats([2, 5, 3, 4]), floats([4]), floats([4], 0.1, 2), floats([4]), floats([4])],
  (x, m, v, o, s) => tf.batchNorm(x!, m!, v!, o, s, 0.001));
batchNorm("FusedBatchNorm", "no offset or scale, odd channels", [floats([3, 7]), floats([7]), floats([7], 0.1, 2)], (x, m, v) => tf.batchNorm(x!, m!, v!, undefined, undefined, 1e-3));
batchNorm("FusedBatchNorm", "full-shape parameters", [floats([2, 3, 5]), floats([2, 3, 5]), floats([2, 3, 5], 0.1, 2), floats([2, 3, 5]), floats([2, 3, 5])],
  (x, m, v, o, s) => tf.batchNorm(x!, m!, v!, o, s, 1e-3));
batchNorm("FusedBatchNorm", "training step: batch moments and gradients", [floats([2, 3, 3, 4]), floats([4]), floats([4]), floats([2, 3, 3, 4])],
  (x, o, s, w) => {
    const f = (a: tf.Tensor, b: tf.Tensor, c: tf.Tensor) => {
      const { mean, variance } = tf.moments(a, [0, 1, 2]);
      return tf.sum(tf.mul(tf.batchNorm(a, mean, variance, b, c, 1e-3), w!));
    };
    return tf.grads(f)([x!, o!, s!]);
  }, { atol: 1e-4, rtol: 1e-3 });
batchNorm("FusedBatchNorm", "zero-size", [floats([0, 4]), floats([4]), floats([4], 0.1, 2)], (x, m, v) => tf.batchNorm(x!, m!, v!));

// Padding (tf.layers.zeroPadding2d, tf.pad).
conv("PadV2", "zeroPadding2d style [2, 5, 4, 3]", [floats([2, 5, 4, 3])], (x) => tf.pad(x, [[0, 0], [1, 2], [2, 1], [0, 0]]), {});
conv("PadV2", "int32 rank 2 with a constant", [{ values: [1, -2, 3, 4, 5, 6], shape: [2, 3], dtype: "int32" }], (x) => tf.pad(x, [[1, 0], [0, 2]], 7), {});
conv("PadV2", "float constant, rank 1", [floats([5])], (x) => tf.pad(x, [[2, 3]], -1.5), {});
conv("PadV2", "zero-size input", [floats([0, 3])], (x) => tf.pad(x, [[1, 1], [0, 0]], 2), {});
conv("PadV2", "gradient (a Slice of dy)", [floats([3, 4]), floats([5, 7])], (x, w) => tf.grad((v: tf.Tensor) => tf.sum(tf.mul(tf.pad(v, [[1, 1], [2, 1]]), w!)))(x!), {});

export const CNN_KERNEL_CASES: KernelCase[] = [...CONV_CASES, ...POOL_CASES, ...BATCHNORM_CASES];
