/**
 * Fast elementwise kernels for the shapes that dominate training steps:
 * Adam's updates and gradient arithmetic run on same-shape tensors, tensors
 * with a scalar, tensors with a per-channel row (a bias) and tensors with a
 * per-row column (softmax and cross-entropy divide [batch, classes] by
 * [batch, 1]). tfjs's cpu kernels handle every broadcast through one generic
 * loop (an index modulo and a closure call per element, and for broadcasts an
 * index-to-coordinates conversion with array allocations: about 1 µs per
 * element). Here each op and operand layout gets its own loop, generated from
 * the op's formula so that V8 compiles each to a tight monomorphic loop.
 * Anything else (other dtypes, general broadcasts) goes to tfjs's cpu kernel.
 */
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle, sizeOf } from "./kernel_support.js";
import { float32Pool } from "./buffer_pool.js";

type Loop = (a: Float32Array, b: Float32Array, out: Float32Array) => void;
type ScalarLoop = (x: Float32Array, s: number, out: Float32Array) => void;

/** The loops of one binary op, one per operand layout. */
interface BinaryLoops {
  same: Loop;
  /** b is a row repeated along a's leading axes (a bias). */
  rowB: Loop;
  rowA: Loop;
  /** b is a column ([rows, 1]) repeated along a's last axis. */
  columnB: Loop;
  columnA: Loop;
  scalarB: ScalarLoop;
  scalarA: ScalarLoop;
}

/**
 * Compiles the loops of a binary op from its formula over `a` and `b`
 * (`"a + b"`). The formula is a constant of this file, never user input.
 */
function binaryLoops(formula: string): BinaryLoops {
  const at = (a: string, b: string): string => formula.replace(/\ba\b/g, a).replace(/\bb\b/g, b);
  const make = <T>(parameters: string, body: string): T => new Function(parameters, `"use strict"; ${body}`) as T;
  const rows = (aIndex: string, bIndex: string, width: string): string =>
    `const n = ${width}; for (let r = 0, row = 0; r < o.length; r += n, row++) for (let c = 0; c < n; c++) o[r + c] = ${at(aIndex, bIndex)};`;
  return {
    same: make("x, y, o", `for (let i = 0; i < o.length; i++) o[i] = ${at("x[i]", "y[i]")};`),
    rowB: make("x, y, o", rows("x[r + c]", "y[c]", "y.length")),
    rowA: make("x, y, o", rows("x[c]", "y[r + c]", "x.length")),
    columnB: make("x, y, o", rows("x[r + c]", "y[row]", "o.length / y.length")),
    columnA: make("x, y, o", rows("x[row]", "y[r + c]", "o.length / x.length")),
    scalarB: make("x, s, o", `for (let i = 0; i < o.length; i++) o[i] = ${at("x[i]", "s")};`),
    scalarA: make("x, s, o", `for (let i = 0; i < o.length; i++) o[i] = ${at("s", "x[i]")};`),
  };
}

/** True when `row` (leading 1s ignored) equals the trailing dimensions of `shape`. */
function isTrailingRow(row: readonly number[], shape: readonly number[]): boolean {
  const first = row.findIndex((d) => d !== 1);
  const trimmed = first < 0 ? [] : row.slice(first);
  if (trimmed.length === 0 || trimmed.length > shape.length) return false;
  return trimmed.every((d, i) => d === shape[shape.length - trimmed.length + i]);
}

/** True when `column` is `shape` with its last dimension 1 (same rank). */
function isColumn(column: readonly number[], shape: readonly number[]): boolean {
  const last = shape.length - 1;
  return last >= 1 && column.length === shape.length && column[last] === 1 && column.every((d, i) => i === last || d === shape[i]);
}

function binaryKernel(kernelName: string, formula: string): KernelConfig {
  const loops = binaryLoops(formula);
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const av = floatValues(backend, a);
    const bv = floatValues(backend, b);
    if (!av || !bv) return runCpuKernelSingle(kernelName, args);
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = sizeOf(shape);
    const out = float32Pool.alloc(size);
    if (size === 0) return output(backend, shape, out);
    if (av.length === size && bv.length === size) loops.same(av, bv, out);
    else if (av.length === size && bv.length === 1) loops.scalarB(av, bv[0]!, out);
    else if (bv.length === size && av.length === 1) loops.scalarA(bv, av[0]!, out);
    else if (av.length === size && isTrailingRow(b.shape, shape)) loops.rowB(av, bv, out);
    else if (bv.length === size && isTrailingRow(a.shape, shape)) loops.rowA(av, bv, out);
    else if (av.length === size && isColumn(b.shape, shape)) loops.columnB(av, bv, out);
    else if (bv.length === size && isColumn(a.shape, shape)) loops.columnA(av, bv, out);
    else return runCpuKernelSingle(kernelName, args);
    return output(backend, shape, out);
  };
  return { kernelName, backendName: "cpu-blas", kernelFunc: kernelFunc as unknown as KernelConfig["kernelFunc"] };
}

type UnaryLoop = (x: Float32Array, out: Float32Array) => void;

/** Compiles a unary loop from its formula over `x` (`"Math.sqrt(x)"`); a constant of this file. */
function unaryLoop(formula: string): UnaryLoop {
  return new Function("v, o", `"use strict"; for (let i = 0; i < o.length; i++) { const x = v[i]; o[i] = ${formula}; }`) as UnaryLoop;
}

function unaryKernel(kernelName: string, formula: string): KernelConfig {
  const loop = unaryLoop(formula);
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const { x } = args.inputs as { x: TensorInfo };
    const xv = floatValues(backend, x);
    if (!xv) return runCpuKernelSingle(kernelName, args);
    const out = float32Pool.alloc(xv.length);
    loop(xv, out);
    return output(backend, x.shape.slice(), out);
  };
  return { kernelName, backendName: "cpu-blas", kernelFunc: kernelFunc as unknown as KernelConfig["kernelFunc"] };
}

/** Kernel configs of the fast elementwise ops (same formulas as tfjs's cpu kernels). */
export const elementwiseKernelConfigs: KernelConfig[] = [
  binaryKernel("Add", "a + b"),
  binaryKernel("Sub", "a - b"),
  binaryKernel("Multiply", "a * b"),
  binaryKernel("RealDiv", "a / b"),
  unaryKernel("Sqrt", "Math.sqrt(x)"),
  unaryKernel("Square", "x * x"),
  unaryKernel("Neg", "-x"),
  unaryKernel("Relu", "Math.max(0, x)"),
  unaryKernel("Exp", "Math.exp(x)"),
  unaryKernel("Log", "Math.log(x)"),
  unaryKernel("Floor", "Math.floor(x)"),
  stepKernel(),
];

/** Step (relu's gradient mask): 1 where x > 0, else alpha; NaN stays NaN. */
function stepKernel(): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const { x } = args.inputs as { x: TensorInfo };
    const alpha = (args.attrs as { alpha?: number } | undefined)?.alpha ?? 0;
    const xv = floatValues(backend, x);
    if (!xv) return runCpuKernelSingle("Step", args);
    const out = float32Pool.alloc(xv.length);
    for (let i = 0; i < out.length; i++) {
      const v = xv[i]!;
      out[i] = v > 0 ? 1 : Number.isNaN(v) ? Number.NaN : alpha;
    }
    return output(backend, x.shape.slice(), out);
  };
  return { kernelName: "Step", backendName: "cpu-blas", kernelFunc: kernelFunc as unknown as KernelConfig["kernelFunc"] };
}
