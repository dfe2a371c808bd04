/**
 * Depthwise 2-D convolutions (direct kernels in sources/conv.ts): geometry
 * from tfjs's computeConv2DInfo(..., depthwise = true), NHWC, filters
 * [fh, fw, in_c, multiplier].
 */
import { backend_util, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { ptr, struct } from "../device/cuda_device";
import { CONV_REDUCE_THREADS } from "../sources/conv";
import { packConvGeometry, requireFloat32 } from "./conv_geometry";

const THREADS = 256;

type Shape4 = [number, number, number, number];

/** The depthwise geometry, dilations defaulting to 1 as tfjs's kernels do. */
export function depthwiseInfo(xShape: number[], filterShape: number[], strides: number | [number, number], dilations: number | [number, number] | undefined,
  pad: backend_util.ExplicitPadding | "valid" | "same" | number, dimRoundingMode: "floor" | "round" | "ceil" | undefined): backend_util.Conv2DInfo {
  return backend_util.computeConv2DInfo(xShape as Shape4, filterShape as Shape4, strides, dilations ?? [1, 1], pad, dimRoundingMode, true);
}

const multiplier = (info: backend_util.Conv2DInfo) => info.outChannels / info.inChannels;

/** DepthwiseConv2dNative forward. */
export function depthwiseConv2dImpl(backend: CudaBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  requireFloat32("DepthwiseConv2dNative", x, filter);
  const y = backend.makeOutput([...info.outShape], "float32");
  const n = util.sizeFromShape(info.outShape);
  if (n > 0) {
    backend.device.launch("conv", "depthwise_conv_f32", backend.device.gridFor(n, THREADS), THREADS, [
      ptr(backend.pointer(y)), ptr(backend.pointer(x)), ptr(backend.pointer(filter)), struct(packConvGeometry(info, multiplier(info))),
    ]);
  }
  return y;
}

/** DepthwiseConv2dNativeBackpropInput. */
export function depthwiseBackpropInputImpl(backend: CudaBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  requireFloat32("DepthwiseConv2dNativeBackpropInput", dy, filter);
  const dx = backend.makeOutput([...info.inShape], "float32");
  const n = util.sizeFromShape(info.inShape);
  if (n > 0) {
    backend.device.launch("conv", "depthwise_conv_input_grad_f32", backend.device.gridFor(n, THREADS), THREADS, [
      ptr(backend.pointer(dx)), ptr(backend.pointer(dy)), ptr(backend.pointer(filter)), struct(packConvGeometry(info, multiplier(info))),
    ]);
  }
  return dx;
}

/** DepthwiseConv2dNativeBackpropFilter: one block per filter element. */
export function depthwiseBackpropFilterImpl(backend: CudaBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  requireFloat32("DepthwiseConv2dNativeBackpropFilter", x, dy);
  const m = multiplier(info);
  const dw = backend.makeOutput([info.filterHeight, info.filterWidth, info.inChannels, m], "float32");
  const n = info.filterHeight * info.filterWidth * info.inChannels * m;
  if (n > 0) {
    backend.device.launch("conv", "depthwise_conv_filter_grad_f32", Math.min(n, 65535), CONV_REDUCE_THREADS, [
      ptr(backend.pointer(dw)), ptr(backend.pointer(x)), ptr(backend.pointer(dy)), struct(packConvGeometry(info, m)),
    ]);
  }
  return dw;
}
