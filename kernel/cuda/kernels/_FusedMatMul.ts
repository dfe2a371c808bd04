import { _FusedMatMul, type _FusedMatMulAttrs, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { CudaUnsupportedError } from "../errors";
import { runBinary, runUnary } from "../kernel_utils/elementwise";
import { batchMatMulImpl } from "../kernel_utils/matmul";

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

/** _FusedMatMul: activation(a @ b + bias), the matmul through cuBLAS, bias and activation as element-wise kernels. */
export const fusedMatMulConfig: KernelConfig = {
  kernelName: _FusedMatMul,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend, attrs }) => {
    const cuda = backend as CudaBackend;
    const { a, b, bias, preluActivationWeights } = inputs as { a: TensorInfo; b: TensorInfo; bias?: TensorInfo; preluActivationWeights?: TensorInfo };
    const { transposeA, transposeB, activation, leakyreluAlpha } = attrs as unknown as _FusedMatMulAttrs;
    let result = batchMatMulImpl(cuda, a, b, transposeA, transposeB);
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
  },
};
