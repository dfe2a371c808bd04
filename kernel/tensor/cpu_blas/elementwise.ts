/**
 * Fast elementwise kernels for the shapes that dominate training steps:
 * Adam's updates and gradient arithmetic run on same-shape tensors, tensors
 * with a scalar, and tensors with a per-channel row. tfjs's cpu kernels handle
 * every broadcast through one generic loop (an index modulo and a closure call
 * per element); these loops are written out per op and per case so that V8
 * compiles each to a tight loop (about 10x faster on 100k-element tensors).
 * Anything else (other dtypes, general broadcasts) goes to tfjs's cpu kernel.
 */
import { backend_util, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import { type KernelArgs, floatValues, output, runCpuKernelSingle, sizeOf } from "./kernel_support.js";
import { float32Pool } from "./buffer_pool.js";

type Loop = (a: Float32Array, b: Float32Array, out: Float32Array) => void;
type ScalarLoop = (x: Float32Array, s: number, out: Float32Array) => void;

/** The loops of one binary op, for each operand layout. */
interface BinaryLoops {
  same: Loop;
  /** a full, b a row repeated along the leading axes. */
  rowB: Loop;
  rowA: Loop;
  scalarB: ScalarLoop;
  scalarA: ScalarLoop;
}

const add: BinaryLoops = {
  same: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = a[i]! + b[i]!; },
  rowB: (a, b, o) => { const n = b.length; for (let r = 0; r < o.length; r += n) for (let c = 0; c < n; c++) o[r + c] = a[r + c]! + b[c]!; },
  rowA: (a, b, o) => { const n = a.length; for (let r = 0; r < o.length; r += n) for (let c = 0; c < n; c++) o[r + c] = a[c]! + b[r + c]!; },
  scalarB: (x, s, o) => { for (let i = 0; i < o.length; i++) o[i] = x[i]! + s; },
  scalarA: (x, s, o) => { for (let i = 0; i < o.length; i++) o[i] = s + x[i]!; },
};
const sub: BinaryLoops = {
  same: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = a[i]! - b[i]!; },
  rowB: (a, b, o) => { const n = b.length; for (let r = 0; r < o.length; r += n) for (let c = 0; c < n; c++) o[r + c] = a[r + c]! - b[c]!; },
  rowA: (a, b, o) => { const n = a.length; for (let r = 0; r < o.length; r += n) for (let c = 0; c < n; c++) o[r + c] = a[c]! - b[r + c]!; },
  scalarB: (x, s, o) => { for (let i = 0; i < o.length; i++) o[i] = x[i]! - s; },
  scalarA: (x, s, o) => { for (let i = 0; i < o.length; i++) o[i] = s - x[i]!; },
};
const mul: BinaryLoops = {
  same: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = a[i]! * b[i]!; },
  rowB: (a, b, o) => { const n = b.length; for (let r = 0; r < o.length; r += n) for (let c = 0; c < n; c++) o[r + c] = a[r + c]! * b[c]!; },
  rowA: (a, b, o) => { const n = a.length; for (let r = 0; r < o.length; r += n) for (let c = 0; c < n; c++) o[r + c] = a[c]! * b[r + c]!; },
  scalarB: (x, s, o) => { for (let i = 0; i < o.length; i++) o[i] = x[i]! * s; },
  scalarA: (x, s, o) => { for (let i = 0; i < o.length; i++) o[i] = s * x[i]!; },
};
const div: BinaryLoops = {
  same: (a, b, o) => { for (let i = 0; i < o.length; i++) o[i] = a[i]! / b[i]!; },
  rowB: (a, b, o) => { const n = b.length; for (let r = 0; r < o.length; r += n) for (let c = 0; c < n; c++) o[r + c] = a[r + c]! / b[c]!; },
  rowA: (a, b, o) => { const n = a.length; for (let r = 0; r < o.length; r += n) for (let c = 0; c < n; c++) o[r + c] = a[c]! / b[r + c]!; },
  scalarB: (x, s, o) => { for (let i = 0; i < o.length; i++) o[i] = x[i]! / s; },
  scalarA: (x, s, o) => { for (let i = 0; i < o.length; i++) o[i] = s / x[i]!; },
};

/** True when `row` (leading 1s ignored) equals the trailing dimensions of `shape`. */
function isTrailingRow(row: readonly number[], shape: readonly number[]): boolean {
  const trimmed = row.slice(row.findIndex((d) => d !== 1) < 0 ? row.length : row.findIndex((d) => d !== 1));
  if (trimmed.length === 0 || trimmed.length > shape.length) return false;
  return trimmed.every((d, i) => d === shape[shape.length - trimmed.length + i]);
}

function binaryKernel(kernelName: string, loops: BinaryLoops): KernelConfig {
  const kernelFunc = (args: KernelArgs): TensorInfo => {
    const { backend } = args;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const av = floatValues(backend, a);
    const bv = floatValues(backend, b);
    if (!av || !bv) return runCpuKernelSingle(kernelName, args);
    const shape = backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const size = sizeOf(shape);
    const out = float32Pool.alloc(size);
    if (av.length === size && bv.length === size) loops.same(av, bv, out);
    else if (av.length === size && bv.length === 1) loops.scalarB(av, bv[0]!, out);
    else if (bv.length === size && av.length === 1) loops.scalarA(bv, av[0]!, out);
    else if (av.length === size && isTrailingRow(b.shape, shape)) loops.rowB(av, bv, out);
    else if (bv.length === size && isTrailingRow(a.shape, shape)) loops.rowA(av, bv, out);
    else return runCpuKernelSingle(kernelName, args);
    return output(backend, shape, out);
  };
  return { kernelName, backendName: "cpu-blas", kernelFunc: kernelFunc as unknown as KernelConfig["kernelFunc"] };
}

type UnaryLoop = (x: Float32Array, out: Float32Array) => void;

function unaryKernel(kernelName: string, loop: UnaryLoop): KernelConfig {
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
  binaryKernel("Add", add),
  binaryKernel("Sub", sub),
  binaryKernel("Multiply", mul),
  binaryKernel("RealDiv", div),
  unaryKernel("Sqrt", (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.sqrt(x[i]!); }),
  unaryKernel("Square", (x, o) => { for (let i = 0; i < o.length; i++) o[i] = x[i]! * x[i]!; }),
  unaryKernel("Neg", (x, o) => { for (let i = 0; i < o.length; i++) o[i] = -x[i]!; }),
  unaryKernel("Relu", (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.max(0, x[i]!); }),
  unaryKernel("Exp", (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.exp(x[i]!); }),
  unaryKernel("Log", (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.log(x[i]!); }),
  unaryKernel("Floor", (x, o) => { for (let i = 0; i < o.length; i++) o[i] = Math.floor(x[i]!); }),
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
