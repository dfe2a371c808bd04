/**
 * Regular 2-D convolutions as GEMMs (sources/conv.ts has the layout kernels):
 * y[M, out_c] = col[M, K] @ W[K, out_c] with M = batch * out_h * out_w and
 * K = fh * fw * in_c; dx = col2im(dy @ W^T); dW = col^T @ dy. A 1x1 filter
 * with stride 1 and no padding reads x itself as col (no im2col pass).
 */
import { backend_util, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { f32, i64, ptr, struct } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";
import type { DevicePointer } from "../ffi/driver_api";
import { FUSED_ACTIVATIONS } from "../sources/elementwise";
import { packConvGeometry } from "./conv_geometry";
import { runBinary, runUnary } from "./elementwise";

const THREADS = 256;

/** C[m, n] = op(A) op(B) for row-major A ([m, k], or [k, m] when transA) and B ([k, n], or [n, k] when transB). */
export function gemmRowMajor(backend: CudaBackend, m: number, n: number, k: number, a: DevicePointer, transA: boolean, b: DevicePointer, transB: boolean, c: DevicePointer): void {
  if (m * n === 0) return;
  if (k === 0) {
    backend.device.fill32(c, 0, m * n);
    return;
  }
  backend.device.cublas.gemm({ transA: transB, transB: transA, m: n, n: m, k, a: b, lda: transB ? k : n, b: a, ldb: transA ? m : k, c, ldc: n });
}

/** True when im2col would copy x unchanged (1x1 filter, stride 1, no padding). */
function colIsInput(info: backend_util.Conv2DInfo): boolean {
  return info.filterHeight === 1 && info.filterWidth === 1 && info.strideHeight === 1 && info.strideWidth === 1 &&
    info.padInfo.top === 0 && info.padInfo.left === 0 && info.outHeight === info.inHeight && info.outWidth === info.inWidth;
}

/** The im2col matrix of x (a new device tensor), or x itself for 1x1/stride 1/no padding; the caller disposes it. */
function im2col(backend: CudaBackend, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  if (colIsInput(info)) {
    backend.incRef(x.dataId);
    return { ...x };
  }
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const col = backend.makeOutput([rows, k], "float32");
  if (rows * k > 0) {
    backend.device.launch("conv", "im2col_f32", backend.device.gridFor(rows * k, THREADS), THREADS, [ptr(backend.pointer(col)), ptr(backend.pointer(x)), struct(packConvGeometry(info))]);
  }
  return col;
}

/** Conv2D forward, NHWC: a new tensor of info.outShape. */
export function conv2dImpl(backend: CudaBackend, x: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const out = backend.makeOutput([...info.outShape], "float32");
  const rows = info.batchSize * info.outHeight * info.outWidth;
  if (rows * info.outChannels === 0) return out;
  const col = im2col(backend, x, info);
  gemmRowMajor(backend, rows, info.outChannels, info.filterHeight * info.filterWidth * info.inChannels, backend.pointer(col), false, backend.pointer(filter), false, backend.pointer(out));
  backend.disposeIntermediateTensorInfo(col);
  return out;
}

/** Conv2DBackpropInput, NHWC: dx of info.inShape from dy and the filter. */
export function conv2dBackpropInputImpl(backend: CudaBackend, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const dx = backend.makeOutput([...info.inShape], "float32");
  const size = util.sizeFromShape(info.inShape);
  if (size === 0) return dx;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  if (colIsInput(info)) {
    gemmRowMajor(backend, rows, k, info.outChannels, backend.pointer(dy), false, backend.pointer(filter), true, backend.pointer(dx));
    return dx;
  }
  const col = backend.makeOutput([rows, k], "float32");
  gemmRowMajor(backend, rows, k, info.outChannels, backend.pointer(dy), false, backend.pointer(filter), true, backend.pointer(col));
  backend.device.launch("conv", "col2im_f32", backend.device.gridFor(size, THREADS), THREADS, [ptr(backend.pointer(dx)), ptr(backend.pointer(col)), struct(packConvGeometry(info))]);
  backend.disposeIntermediateTensorInfo(col);
  return dx;
}

/** Conv2DBackpropFilter, NHWC: dW of info.filterShape from x and dy. */
export function conv2dBackpropFilterImpl(backend: CudaBackend, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, info.outChannels];
  const dw = backend.makeOutput(filterShape, "float32");
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  if (k * info.outChannels === 0) return dw;
  const rows = info.batchSize * info.outHeight * info.outWidth;
  const col = rows === 0 ? { ...x } : im2col(backend, x, info);
  gemmRowMajor(backend, k, info.outChannels, rows, backend.pointer(col), true, backend.pointer(dy), false, backend.pointer(dw));
  if (rows !== 0) backend.disposeIntermediateTensorInfo(col);
  return dw;
}

/**
 * activation(y + bias) as tfjs's fused ops define it (linear, relu, relu6,
 * elu, leakyrelu, sigmoid, prelu); a per-channel bias and the table's
 * activations in one pass in place, anything else as element-wise kernels.
 * Consumes `y` (returns it or a new tensor, disposing `y`).
 */
export function applyBiasActivation(backend: CudaBackend, kernel: string, y: TensorInfo, bias: TensorInfo | undefined, activation: string, alpha: number, preluWeights?: TensorInfo): TensorInfo {
  const channels = y.shape[y.shape.length - 1] ?? 1;
  const fusedOp = FUSED_ACTIVATIONS[activation];
  if (bias && fusedOp && bias.dtype === "float32" && util.sizeFromShape(bias.shape) === channels && bias.shape[bias.shape.length - 1] === channels) {
    const n = util.sizeFromShape(y.shape);
    if (n > 0) {
      backend.device.launch("elementwise", `bias_activation_${fusedOp}_f32`, backend.device.gridFor(n, THREADS), THREADS, [
        ptr(backend.pointer(y)), ptr(backend.pointer(y)), ptr(backend.pointer(bias)), i64(n), i64(channels), f32(alpha),
      ]);
    }
    return y;
  }
  let result = y;
  const replace = (next: TensorInfo) => {
    backend.disposeIntermediateTensorInfo(result);
    result = next;
  };
  if (bias) replace(runBinary(backend, result, bias, "add"));
  switch (activation) {
    case "linear":
      break;
    case "relu":
    case "relu6":
    case "elu":
    case "sigmoid":
      replace(runUnary(backend, result, activation));
      break;
    case "leakyrelu":
      replace(runUnary(backend, result, "leaky_relu", [alpha, 0]));
      break;
    case "prelu":
      if (!preluWeights) throw new CudaUnsupportedError(`${kernel}: prelu activation without preluActivationWeights`);
      replace(runBinary(backend, result, preluWeights, "prelu"));
      break;
    default:
      throw new CudaUnsupportedError(`${kernel}: activation ${activation} is not supported on the cuda backend`);
  }
  return result;
}
