/**
 * Factories for the element-wise kernels: each tfjs kernel that is one row of
 * the op table is `unaryKernelFunc("exp")` or `binaryKernelFunc("add")`.
 */
import { backend_util, type DataType, type KernelFunc, type NamedAttrMap, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { f32, i64, ptr, struct } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";
import { broadcastStrides, collapseDims, packBroadcast } from "./layout";
import { BINARY_OPS, kernelName, UNARY_OPS } from "./op_table";

const THREADS = 256;
const UNARY_BY_NAME = new Map(UNARY_OPS.map((o) => [o.name, o]));
const BINARY_BY_NAME = new Map(BINARY_OPS.map((o) => [o.name, o]));

/**
 * Packed broadcast layouts by operand shapes: a training step repeats the same
 * few shapes, so each is collapsed and packed once. The buffers are never
 * written after packing (cuLaunchKernel copies them when it queues a launch).
 */
const broadcastLayouts = new Map<string, Buffer>();
const MAX_CACHED_LAYOUTS = 4096;

function broadcastLayout(shape: number[], aShape: number[], bShape: number[], n: number, op: string): Buffer {
  const key = `${aShape}|${bShape}`;
  let packed = broadcastLayouts.get(key);
  if (packed === undefined) {
    packed = packBroadcast(n, collapseDims(shape, [broadcastStrides(aShape, shape), broadcastStrides(bShape, shape)]), op);
    if (broadcastLayouts.size >= MAX_CACHED_LAYOUTS) broadcastLayouts.clear();
    broadcastLayouts.set(key, packed);
  }
  return packed;
}

/** Runs unary op `op` on `x`; `params` fill the kernel's p0/p1 (alpha, clip bounds). */
export function runUnary(backend: CudaBackend, x: TensorInfo, op: string, params: [number, number] = [0, 0]): TensorInfo {
  const spec = UNARY_BY_NAME.get(op);
  const type = backend.deviceType(x.dtype);
  if (!spec || spec[type] === undefined) throw new CudaUnsupportedError(`${op} is not available for ${x.dtype} tensors on the cuda backend`);
  const outDtype: DataType = spec.output ?? x.dtype;
  const out = backend.makeOutput([...x.shape], outDtype);
  const n = util.sizeFromShape(x.shape);
  if (n > 0) {
    backend.device.launch("elementwise", kernelName("unary", op, type), backend.device.gridFor(n, THREADS), THREADS, [
      ptr(backend.pointer(out)),
      ptr(backend.pointer(x)),
      i64(n),
      f32(params[0]),
      f32(params[1]),
    ]);
  }
  return out;
}

/** Converts `x` to `dtype` on the device (a new tensor, or a new reference when the dtype already matches). */
export function castImpl(backend: CudaBackend, x: TensorInfo, dtype: DataType): TensorInfo {
  if (x.dtype === dtype) {
    backend.incRef(x.dataId);
    return { dataId: x.dataId, shape: [...x.shape], dtype };
  }
  const from = x.dtype === "bool" ? "i32" : backend.deviceType(x.dtype);
  const to = dtype === "bool" ? "bool" : backend.deviceType(dtype);
  const out = backend.makeOutput([...x.shape], dtype);
  const n = util.sizeFromShape(x.shape);
  if (n > 0) {
    if (from === to || (x.dtype === "bool" && to === "i32")) {
      backend.device.copy(backend.pointer(out), backend.pointer(x), n * 4);
    } else {
      backend.device.launch("elementwise", `cast_${from}_${to}`, backend.device.gridFor(n, THREADS), THREADS, [
        ptr(backend.pointer(out)),
        ptr(backend.pointer(x)),
        i64(n),
      ]);
    }
  }
  return out;
}

/**
 * Runs binary op `op` on `a` and `b` with numpy broadcasting. Inputs of
 * different dtypes are first cast to their common type, as tfjs's ops do.
 */
export function runBinary(backend: CudaBackend, a: TensorInfo, b: TensorInfo, op: string): TensorInfo {
  const spec = BINARY_BY_NAME.get(op);
  if (!spec) throw new CudaUnsupportedError(`unknown binary op ${op}`);
  const common = a.dtype === b.dtype ? a.dtype : backend_util.upcastType(a.dtype, b.dtype);
  const type = backend.deviceType(common);
  if (spec[type] === undefined) throw new CudaUnsupportedError(`${op} is not available for ${common} tensors on the cuda backend`);
  // Casts only where a dtype differs (the common case needs neither a reference nor a release).
  const ca = a.dtype === common ? a : castImpl(backend, a, common);
  const cb = b.dtype === common ? b : castImpl(backend, b, common);
  const shape = util.arraysEqual(a.shape, b.shape) ? [...a.shape] : backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
  const outDtype: DataType = spec.output ?? common;
  const out = backend.makeOutput(shape, outDtype);
  const n = util.sizeFromShape(shape);
  if (n > 0) {
    backend.device.launch("elementwise", kernelName("binary", op, type), backend.device.gridFor(n, THREADS), THREADS, [
      ptr(backend.pointer(out)),
      ptr(backend.pointer(ca)),
      ptr(backend.pointer(cb)),
      struct(broadcastLayout(shape, a.shape, b.shape, n, op)),
    ]);
  }
  if (ca !== a) backend.disposeIntermediateTensorInfo(ca);
  if (cb !== b) backend.disposeIntermediateTensorInfo(cb);
  return out;
}

/** Runs `use` with x as int32 (cast when it is not), then releases that view. */
export function withInt32<T>(backend: CudaBackend, x: TensorInfo, use: (int32: TensorInfo) => T): T {
  const int32 = castImpl(backend, x, "int32");
  try {
    return use(int32);
  } finally {
    backend.disposeIntermediateTensorInfo(int32);
  }
}

/** A tfjs kernel function for a unary op; `params` reads p0/p1 from the attributes. */
export function unaryKernelFunc(op: string, params?: (attrs: NamedAttrMap) => [number, number]): KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const x = inputs.x ?? Object.values(inputs)[0];
    if (!x) throw new Error(`${op}: missing input x`);
    return runUnary(backend as CudaBackend, x, op, params ? params(attrs ?? {}) : [0, 0]);
  };
}

/** The parameters of ops whose one parameter is the `alpha` attribute (LeakyRelu, Step). */
export function alphaParameter(attrs: NamedAttrMap): [number, number] {
  return [(attrs as { alpha?: number }).alpha ?? 0, 0];
}

/** A tfjs kernel function for a binary op on inputs `a` and `b`. */
export function binaryKernelFunc(op: string, names: [string, string] = ["a", "b"]): KernelFunc {
  return ({ inputs, backend }) => {
    const a = inputs[names[0]];
    const b = inputs[names[1]];
    if (!a || !b) throw new Error(`${op}: missing inputs ${names.join(", ")}`);
    return runBinary(backend as CudaBackend, a, b, op);
  };
}
