/**
 * The range loops of cpu-blas's elementwise, sum and fused kernels, generated from
 * each op's formula with `new Function` so that V8 compiles every op and
 * operand layout to its own tight monomorphic loop. Each loop covers
 * [start, end) of its units, so parallel/thread_pool.ts can split it across
 * threads; worker threads load this module (it imports no tfjs) and get the
 * same loops. Formulas are constants of this file, never user input.
 */
import { defineRangeLoops, type RangeLoop, type RangeLoopRef } from "./parallel/thread_pool.js";

/** Binary ops as formulas over `a` and `b` (tfjs's cpu kernels compute the same). */
export const BINARY_FORMULAS = { Add: "a + b", Sub: "a - b", Multiply: "a * b", RealDiv: "a / b" } as const;
/** Unary ops as formulas over `x`. */
export const UNARY_FORMULAS = {
  Sqrt: "Math.sqrt(x)",
  Square: "x * x",
  Neg: "-x",
  Exp: "Math.exp(x)",
  Log: "Math.log(x)",
  Floor: "Math.floor(x)",
} as const;

export type BinaryOp = keyof typeof BINARY_FORMULAS;
export type UnaryOp = keyof typeof UNARY_FORMULAS;

/**
 * Operand layouts of a binary op. Element loops (`same`, `scalarA/B`: arrays
 * [x, o] and scalars [s]) count elements; row loops count rows of the output:
 * `rowB` b is a row repeated along a's leading axes (a bias), `columnB` b is a
 * column ([rows, 1]) repeated along a's last axis; the A variants swap sides.
 */
export const LAYOUTS = ["same", "scalarA", "scalarB", "rowA", "rowB", "columnA", "columnB"] as const;
export type Layout = (typeof LAYOUTS)[number];

const loopOf = (body: string): RangeLoop => new Function("arrays", "scalars", "start", "end", `"use strict"; ${body}`) as RangeLoop;

function binaryLoop(formula: string, layout: Layout): RangeLoop {
  const at = (a: string, b: string): string => formula.replace(/\ba\b/g, a).replace(/\bb\b/g, b);
  const three = "const x = arrays[0], y = arrays[1], o = arrays[2];";
  const rows = (width: string, expression: string, perRow = ""): string =>
    `${three} const n = ${width}; for (let r = start; r < end; r++) { const base = r * n; ${perRow} for (let c = 0; c < n; c++) o[base + c] = ${expression}; }`;
  switch (layout) {
    case "same":
      return loopOf(`${three} for (let i = start; i < end; i++) o[i] = ${at("x[i]", "y[i]")};`);
    case "scalarB":
      return loopOf(`const x = arrays[0], o = arrays[1], s = scalars[0]; for (let i = start; i < end; i++) o[i] = ${at("x[i]", "s")};`);
    case "scalarA":
      return loopOf(`const x = arrays[0], o = arrays[1], s = scalars[0]; for (let i = start; i < end; i++) o[i] = ${at("s", "x[i]")};`);
    case "rowB":
      return loopOf(rows("y.length", at("x[base + c]", "y[c]")));
    case "rowA":
      return loopOf(rows("x.length", at("x[c]", "y[base + c]")));
    case "columnB":
      return loopOf(rows("o.length / y.length", at("x[base + c]", "s"), "const s = y[r];"));
    case "columnA":
      return loopOf(rows("o.length / x.length", at("s", "y[base + c]"), "const s = x[r];"));
  }
}

const loops: Record<string, RangeLoop> = {};
for (const [op, formula] of Object.entries(BINARY_FORMULAS)) {
  for (const layout of LAYOUTS) loops[`${op}.${layout}`] = binaryLoop(formula, layout);
}
for (const [op, formula] of Object.entries(UNARY_FORMULAS)) {
  loops[op] = loopOf(`const v = arrays[0], o = arrays[1]; for (let i = start; i < end; i++) { const x = v[i]; o[i] = ${formula}; }`);
}

// Loops over activations, whose signs are random, avoid branching on the sign:
// a mispredicted branch per element made them 5x slower (27 ms against 5 ms for
// relu over 4.7M floats). `v > 0` used as a number is 1 or 0 without a branch;
// the NaN tests are branches that are always predicted right.

/** Relu on the float bits: negative numbers (-0 and -Inf included) become +0, NaN stays NaN. */
loops.Relu = (arrays, _scalars, start, end) => {
  const x = arrays[0]!, o = arrays[1]!;
  const xi = new Int32Array(x.buffer, x.byteOffset, x.length);
  const oi = new Int32Array(o.buffer, o.byteOffset, o.length);
  for (let i = start; i < end; i++) {
    const b = xi[i]!;
    oi[i] = (b & 0x7fffffff) > 0x7f800000 ? b : b & ~(b >> 31);
  }
};

/** Step: 1 where x > 0, NaN for NaN, else alpha (scalars [alpha]). */
loops.Step = loopOf(`const x = arrays[0], o = arrays[1], alpha = scalars[0];
  for (let i = start; i < end; i++) { const v = x[i]; o[i] = v !== v ? v : (v > 0) + (v <= 0) * alpha; }`);

/**
 * The fused ReLU gradient (kernel/fused/relu_grad.ts): arrays [dy, x,
 * out]; dy * (x > 0), which is tfjs's dy * step(x) (dy * 0 keeps NaN and the
 * sign of zero), and NaN where x is NaN.
 */
loops.ReluGrad = loopOf(`const dy = arrays[0], x = arrays[1], o = arrays[2];
  for (let i = start; i < end; i++) { const v = x[i]; o[i] = v !== v ? v : dy[i] * (v > 0); }`);

/**
 * The fused Adam update (kernel/fused/adam_update.ts): arrays [value,
 * gradient, m, v, newValue, newM, newV], scalars [beta1, 1 - beta1, beta2,
 * 1 - beta2, learningRate / (1 - beta1^t), 1 / (1 - beta2^t), epsilon].
 * Intermediates stay in float64; one division and one square root per element.
 */
loops.AdamUpdate = (arrays, scalars, start, end) => {
  const [x, g, m, v, newX, newM, newV] = arrays as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  const [beta1, keep1, beta2, keep2, stepSize, inverseSecondCorrection, epsilon] = scalars as [number, number, number, number, number, number, number];
  for (let i = start; i < end; i++) {
    const gi = g[i]!;
    const mi = beta1 * m[i]! + keep1 * gi;
    const vi = beta2 * v[i]! + keep2 * gi * gi;
    newM[i] = mi;
    newV[i] = vi;
    newX[i] = x[i]! - (stepSize * mi) / (Math.sqrt(vi * inverseSecondCorrection) + epsilon);
  }
};

/**
 * Sums over [start, end) of the output (arrays [x, out], scalars [reduceSize]):
 * `SumTrailing` reduces each output element's contiguous block; `SumLeading`
 * reduces rows, each range reading its columns of every row into float64
 * partial sums (as tfjs's JS accumulator).
 */
loops.SumTrailing = (arrays, scalars, start, end) => {
  const values = arrays[0]!, out = arrays[1]!, reduceSize = scalars[0]!;
  for (let i = start; i < end; i++) {
    let sum = 0;
    const offset = i * reduceSize;
    for (let j = 0; j < reduceSize; j++) sum += values[offset + j]!;
    out[i] = sum;
  }
};
loops.SumLeading = (arrays, scalars, start, end) => {
  const values = arrays[0]!, out = arrays[1]!, reduceSize = scalars[0]!;
  const outSize = out.length;
  const sums = new Float64Array(end - start);
  for (let r = 0; r < reduceSize; r++) {
    const offset = r * outSize + start;
    for (let j = 0; j < sums.length; j++) sums[j]! += values[offset + j]!;
  }
  out.set(sums, start);
};

/** Every loop, by name (`Add.rowB`, `Relu`, `ReluGrad`, ...). */
export const LOOPS: Record<string, RangeLoopRef> = defineRangeLoops(__filename, loops);
