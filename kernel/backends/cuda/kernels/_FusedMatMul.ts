import { _FusedMatMul, type _FusedMatMulAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { f32, i64, ptr } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";
import { FUSED_ACTIVATIONS } from "../sources/elementwise";
import { runBinary, runUnary } from "../kernel_utils/elementwise";
import { batchMatMulImpl } from "../kernel_utils/matmul";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Applies a fused activation to `x` (a new tensor). */
function activate(backend: CudaBackend, x: TensorInfo, activation: string, alpha: number, preluWeights?: TensorInfo): TensorInfo {
  switch (activation) {
    case "relu":
    case "relu6":
    case "elu":
    case "sigmoid":
      return runUnary(backend, x, activation);
    case "leakyrelu":
      return runUnary(backend, x, "leaky_relu", [alpha, 0]);
    case "prelu":
      if (!preluWeights) throw new CudaUnsupportedError("_FusedMatMul: prelu activation without preluActivationWeights");
      return runBinary(backend, x, preluWeights, "prelu");
    default:
      throw new CudaUnsupportedError(`_FusedMatMul: activation ${activation} is not supported on the cuda backend`);
  }
}

/**
 * _FusedMatMul: activation(a @ b + bias), the matmul through cuBLAS; a row bias
 * and the common activations in one extra pass, anything else as separate
 * element-wise kernels.
 */
export const fusedMatMulConfig = cudaKernel(_FusedMatMul, ({ inputs, cuda, attrs }) => {
  const { a, b, bias, preluActivationWeights } = inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as _FusedMatMulAttrs;
  let result = batchMatMulImpl(cuda, a, b, transposeA, transposeB);
  const cols = result.shape[result.shape.length - 1]!;
  const fusedOp = FUSED_ACTIVATIONS[activation ?? "linear"];
  const biasIsRow = bias !== undefined && bias.dtype === "float32" && util.sizeFromShape(bias.shape) === cols && bias.shape[bias.shape.length - 1] === cols;
  if (fusedOp && biasIsRow && result.dtype === "float32") {
    // Dense layers: bias and activation in one pass over the matmul result, in place.
    const n = util.sizeFromShape(result.shape);
    if (n > 0) {
      cuda.device.launch("elementwise", `bias_activation_${fusedOp}_f32`, cuda.device.gridFor(n), 256, [
        ptr(cuda.pointer(result)),
        ptr(cuda.pointer(result)),
        ptr(cuda.pointer(bias!)),
        i64(n),
        i64(cols),
        f32(leakyreluAlpha ?? 0.2),
      ]);
    }
    return result;
  }
  if (bias) {
    const withBias = runBinary(cuda, result, bias, "add");
    cuda.disposeIntermediateTensorInfo(result);
    result = withBias;
  }
  if (activation && activation !== "linear") {
    const activated = activate(cuda, result, activation, leakyreluAlpha ?? 0.2, preluActivationWeights);
    cuda.disposeIntermediateTensorInfo(result);
    result = activated;
  }
  return result;
});
