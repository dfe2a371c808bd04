/**
 * Fast elementwise kernels for the shapes that dominate training steps:
 * Adam's updates and gradient arithmetic run on same-shape tensors, tensors
 * with a scalar, tensors with a per-channel row (a bias) and tensors with a
 * per-row column (softmax and cross-entropy divide [batch, classes] by
 * [batch, 1]). tfjs's cpu kernels handle every broadcast through one generic
 * loop (an index modulo and a closure call per element, and for broadcasts an
 * index-to-coordinates conversion with array allocations: about 1 µs per
 * element). Here each op and operand layout has its own loop (loops.ts), run as
 * SIMD WebAssembly for tensors on the heap and split across cores for big
 * tensors (simd.ts). Anything else (other
 * dtypes, general broadcasts) goes to tfjs's cpu kernel.
 */
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle, sizeOf } from "./kernel_support.js";
import { float32Pool } from "./buffer_pool.js";
import { BINARY_FORMULAS, type BinaryOp, type Layout, UNARY_FORMULAS, type UnaryOp } from "./loops.js";
import { runLoop } from "./simd.js";

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

/** How a binary op's operands line up: the loop layout and how to run it. */
interface BinaryPlan {
  layout: Layout;
  /** Input arrays in the loop's order (the output is appended). */
  inputs: Float32Array[];
  scalars: number[];
  /** Elements per loop unit: 1 for element loops, the row width for row loops. */
  width: number;
}

/** The layout that fits a and b broadcast to `shape` (`size` elements), or undefined for tfjs's kernel. */
function planBinary(a: TensorInfo, av: Float32Array, b: TensorInfo, bv: Float32Array, shape: number[], size: number): BinaryPlan | undefined {
  if (av.length === size && bv.length === size) return { layout: "same", inputs: [av, bv], scalars: [], width: 1 };
  if (av.length === size && bv.length === 1) return { layout: "scalarB", inputs: [av], scalars: [bv[0]!], width: 1 };
  if (bv.length === size && av.length === 1) return { layout: "scalarA", inputs: [bv], scalars: [av[0]!], width: 1 };
  if (av.length === size && isTrailingRow(b.shape, shape)) return { layout: "rowB", inputs: [av, bv], scalars: [], width: bv.length };
  if (bv.length === size && isTrailingRow(a.shape, shape)) return { layout: "rowA", inputs: [av, bv], scalars: [], width: av.length };
  if (av.length === size && isColumn(b.shape, shape)) return { layout: "columnB", inputs: [av, bv], scalars: [], width: size / bv.length };
  if (bv.length === size && isColumn(a.shape, shape)) return { layout: "columnA", inputs: [av, bv], scalars: [], width: size / av.length };
  return undefined;
}

function binaryKernel(kernelName: BinaryOp): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const av = floatValues(backend, a);
    const bv = floatValues(backend, b);
    if (!av || !bv) return runCpuKernelSingle(kernelName, args);
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = sizeOf(shape);
    if (size === 0) return output(backend, shape, float32Pool.alloc(0));
    const plan = planBinary(a, av, b, bv, shape, size);
    if (!plan) return runCpuKernelSingle(kernelName, args);
    const out = float32Pool.alloc(size);
    runLoop(`${kernelName}.${plan.layout}`, [...plan.inputs, out], plan.scalars, size / plan.width, plan.width);
    return output(backend, shape, out);
  };
  return { kernelName, backendName: "cpu-blas", kernelFunc: kernelFunc as unknown as KernelConfig["kernelFunc"] };
}

/** A kernel with one float32 input `x` and an output of its shape, run by loop `loop` with `scalars`. */
function unaryKernel(kernelName: string, loop: string, scalars: (args: KernelArgs) => number[] = () => []): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const { x } = args.inputs as { x: TensorInfo };
    const xv = floatValues(backend, x);
    if (!xv) return runCpuKernelSingle(kernelName, args);
    const out = float32Pool.alloc(xv.length);
    runLoop(loop, [xv, out], scalars(args), xv.length);
    return output(backend, x.shape.slice(), out);
  };
  return { kernelName, backendName: "cpu-blas", kernelFunc: kernelFunc as unknown as KernelConfig["kernelFunc"] };
}

/** Kernel configs of the fast elementwise ops (same formulas as tfjs's cpu kernels). */
export const elementwiseKernelConfigs: KernelConfig[] = [
  ...(Object.keys(BINARY_FORMULAS) as BinaryOp[]).map((op) => binaryKernel(op)),
  ...(Object.keys(UNARY_FORMULAS) as UnaryOp[]).map((op) => unaryKernel(op, op)),
  unaryKernel("Relu", "Relu"),
  // Step (relu's gradient mask in tfjs's formula): 1 where x > 0, else alpha; NaN stays NaN.
  unaryKernel("Step", "Step", (args) => [(args.attrs as { alpha?: number } | undefined)?.alpha ?? 0]),
];
