/**
 * Launchers of the pool family (sources/pool.ts): NHWC, f32, geometry from
 * tfjs's computePool2DInfo (dilation 1).
 */
import { backend_util, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { ptr, struct } from "../device/cuda_device";
import { packConvGeometry, requireFloat32 } from "./conv_geometry";

const THREADS = 256;

type Shape4 = [number, number, number, number];

export interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: "valid" | "same" | number | backend_util.ExplicitPadding;
  dimRoundingMode?: "floor" | "round" | "ceil";
}

export function poolInfo(xShape: number[], attrs: PoolAttrs): backend_util.Conv2DInfo {
  return backend_util.computePool2DInfo(xShape as Shape4, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

/** MaxPool / AvgPool forward; a 1x1 window over an unchanged shape is the identity, as in tfjs's cpu kernel. */
export function poolImpl(backend: CudaBackend, kernel: string, x: TensorInfo, info: backend_util.Conv2DInfo, type: "max" | "avg"): TensorInfo {
  requireFloat32(kernel, x);
  const n = util.sizeFromShape(info.outShape);
  if (info.filterWidth === 1 && info.filterHeight === 1 && util.arraysEqual(info.inShape, info.outShape)) {
    const out = backend.makeOutput([...info.outShape], "float32");
    if (n > 0) backend.device.copy(backend.pointer(out), backend.pointer(x), n * 4);
    return out;
  }
  const y = backend.makeOutput([...info.outShape], "float32");
  if (n > 0) {
    backend.device.launch("pool", `${type}_pool_f32`, backend.device.gridFor(n, THREADS), THREADS, [ptr(backend.pointer(y)), ptr(backend.pointer(x)), struct(packConvGeometry(info))]);
  }
  return y;
}

/** MaxPoolGrad: the window positions of each max, then a gather of dy into dx. */
export function maxPoolGradImpl(backend: CudaBackend, dy: TensorInfo, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  requireFloat32("MaxPoolGrad", dy, x);
  const dx = backend.makeOutput([...x.shape], "float32");
  const n = util.sizeFromShape(x.shape);
  const outputs = util.sizeFromShape(info.outShape);
  if (n === 0) return dx;
  if (outputs === 0) {
    backend.device.fill32(backend.pointer(dx), 0, n);
    return dx;
  }
  const geometry = struct(packConvGeometry(info));
  const positions = backend.makeOutput([...info.outShape], "int32");
  backend.device.launch("pool", "max_pool_positions_f32", backend.device.gridFor(outputs, THREADS), THREADS, [ptr(backend.pointer(positions)), ptr(backend.pointer(x)), geometry]);
  backend.device.launch("pool", "max_pool_grad_f32", backend.device.gridFor(n, THREADS), THREADS, [ptr(backend.pointer(dx)), ptr(backend.pointer(dy)), ptr(backend.pointer(positions)), geometry]);
  backend.disposeIntermediateTensorInfo(positions);
  return dx;
}

/** AvgPoolGrad: dy of every window that read a pixel, over the full window size (tfjs's cpu kernel). */
export function avgPoolGradImpl(backend: CudaBackend, dy: TensorInfo, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  requireFloat32("AvgPoolGrad", dy);
  const dx = backend.makeOutput([...x.shape], "float32");
  const n = util.sizeFromShape(x.shape);
  if (n === 0) return dx;
  if (util.sizeFromShape(info.outShape) === 0) {
    backend.device.fill32(backend.pointer(dx), 0, n);
    return dx;
  }
  backend.device.launch("pool", "avg_pool_grad_f32", backend.device.gridFor(n, THREADS), THREADS, [ptr(backend.pointer(dx)), ptr(backend.pointer(dy)), struct(packConvGeometry(info))]);
  return dx;
}
