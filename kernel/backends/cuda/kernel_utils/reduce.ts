/**
 * Reductions over any axes: the reduced axes are moved innermost by a
 * transpose when needed (as tfjs's cpu backend does), then one `reduce`
 * family kernel folds each row of the [rows, cols] view.
 */
import { backend_util, type DataType, type KernelFunc, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { i64, ptr } from "../device/cuda_device";
import { kernelName } from "./op_table";
import { REDUCE_THREADS } from "../sources/reduce";
import { castImpl } from "./elementwise";
import { transposeImpl } from "./copy";

/** The input viewed as [rows, cols] with the reduced axes innermost, and the output shape. */
function prepare(backend: CudaBackend, x: TensorInfo, axis: number | number[], keepDims: boolean) {
  const axes = util.parseAxisParam(axis, x.shape);
  const permutation = backend_util.getAxesPermutation(axes, x.shape.length);
  const input = permutation ? transposeImpl(backend, x, permutation) : x;
  const innerAxes = permutation ? backend_util.getInnerMostAxes(axes.length, x.shape.length) : axes;
  const [outShape, reduceShape] = backend_util.computeOutAndReduceShapes(input.shape, innerAxes);
  const shape = keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape;
  return { input, transposed: permutation !== null, rows: util.sizeFromShape(outShape), cols: util.sizeFromShape(reduceShape), shape };
}

/** True when `axes` are exactly the leading axes 0..k-1 of a rank > k tensor. */
function leadingAxes(axes: number[], rank: number): boolean {
  const sorted = [...axes].sort((a, b) => a - b);
  return sorted.length < rank && sorted.every((a, i) => a === i);
}

/** Reduces `x` over `axis` with table op `op` ("sum", "mean", "max"...), output of dtype `outDtype`. */
export function reduceImpl(backend: CudaBackend, x: TensorInfo, axis: number | number[], keepDims: boolean, op: string, outDtype: DataType): TensorInfo {
  const source = outDtype === x.dtype || (outDtype === "bool" && x.dtype === "bool") ? x : castImpl(backend, x, outDtype);
  const axes = util.parseAxisParam(axis, x.shape);
  // Few reduced rows: a serial loop per column beats a transpose; many rows need the parallel row kernel.
  if (leadingAxes(axes, x.shape.length) && util.sizeFromShape(x.shape.slice(0, axes.length)) <= 4096) {
    // Leading axes (e.g. a bias gradient, sum over the batch): one thread per column, no transpose.
    const rows = util.sizeFromShape(x.shape.slice(0, axes.length));
    const outShape = x.shape.slice(axes.length);
    const out = backend.makeOutput(keepDims ? backend_util.expandShapeToKeepDim(outShape, axes) : outShape, outDtype);
    const cols = util.sizeFromShape(outShape);
    if (cols > 0) {
      backend.device.launch("reduce", kernelName("reduce_columns", op, backend.deviceType(outDtype)), backend.device.gridFor(cols), 256, [
        ptr(backend.pointer(out)),
        ptr(backend.pointer(source)),
        i64(rows),
        i64(cols),
      ]);
    }
    if (source !== x) backend.disposeIntermediateTensorInfo(source);
    return out;
  }
  const { input, transposed, rows, cols, shape } = prepare(backend, source, axis, keepDims);
  const out = backend.makeOutput(shape, outDtype);
  if (rows > 0) {
    backend.device.launch("reduce", kernelName("reduce", op, backend.deviceType(outDtype)), Math.min(rows, 65535), REDUCE_THREADS, [
      ptr(backend.pointer(out)),
      ptr(backend.pointer(input)),
      i64(rows),
      i64(cols),
    ]);
  }
  if (transposed) backend.disposeIntermediateTensorInfo(input);
  if (source !== x) backend.disposeIntermediateTensorInfo(source);
  return out;
}

/** ArgMax / ArgMin of `x` over one axis (int32 indices). */
export function argReduceImpl(backend: CudaBackend, x: TensorInfo, axis: number, which: "max" | "min"): TensorInfo {
  const { input, transposed, rows, cols, shape } = prepare(backend, x, [axis], false);
  const out = backend.makeOutput(shape, "int32");
  if (rows > 0) {
    backend.device.launch("reduce", kernelName("arg_reduce", which, backend.deviceType(x.dtype)), Math.min(rows, 65535), REDUCE_THREADS, [
      ptr(backend.pointer(out)),
      ptr(backend.pointer(input)),
      i64(rows),
      i64(cols),
    ]);
  }
  if (transposed) backend.disposeIntermediateTensorInfo(input);
  return out;
}

/**
 * The output dtype of a reduction: "same" keeps x's, "sum" is tfjs's upcast
 * for sums and products (float32 stays float32, int32 and bool become int32),
 * or a fixed dtype.
 */
export type ReduceOutput = "same" | "sum" | DataType;

/** A tfjs kernel function for a reduction over the attribute `axisAttr` (tfjs calls it `axis`, or `reductionIndices` for Max). */
export function reduceKernelFunc(op: string, output: ReduceOutput, axisAttr = "axis"): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const named = attrs as unknown as Record<string, number | number[]> & { keepDims: boolean };
    const outDtype = output === "same" ? x.dtype : output === "sum" ? (x.dtype === "float32" ? "float32" : "int32") : output;
    return reduceImpl(backend as CudaBackend, x, named[axisAttr]!, named.keepDims, op, outDtype);
  };
}

/** A tfjs kernel function for ArgMax / ArgMin over one axis. */
export function argReduceKernelFunc(which: "max" | "min"): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x as TensorInfo;
    const [axis] = util.parseAxisParam((attrs as unknown as { axis: number | number[] }).axis, x.shape);
    return argReduceImpl(backend as CudaBackend, x, axis!, which);
  };
}
