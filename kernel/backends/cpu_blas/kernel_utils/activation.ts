/**
 * Bias addition and activations applied in place on a GEMM result, the
 * epilogue of the fused kernels (_FusedMatMul, FusedConv2D). Same formulas as
 * tfjs's cpu kernels; `prelu` and biases that do not broadcast along the last
 * axis go through the cpu kernels instead (see {@link needsCpuEpilogue}).
 */
import type { TensorInfo } from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";
import { floatValues, output, runCpuKernelSingle, sizeOf } from "./kernel_support.js";

export type Activation = "linear" | "relu" | "relu6" | "elu" | "sigmoid" | "leakyrelu" | "prelu";

/** True when the bias is a scalar or a vector along the last (channel) axis. */
export function biasIsPerChannel(bias: TensorInfo | undefined, channels: number): boolean {
  if (!bias) return true;
  const size = sizeOf(bias.shape);
  return (size === channels && bias.shape[bias.shape.length - 1] === channels) || size === 1;
}

/** True when bias or activation need the general (cpu kernel) path. */
export function needsCpuEpilogue(backend: MathBackendCPU, bias: TensorInfo | undefined, channels: number, activation: string): boolean {
  if (activation === "prelu") return true;
  if (!bias) return false;
  return !biasIsPerChannel(bias, channels) || floatValues(backend, bias) === undefined;
}

/** Adds a per-channel (or scalar) bias in place: values is [rows, channels]. */
export function addBiasInPlace(values: Float32Array, bias: Float32Array, channels: number): void {
  if (bias.length === 1) {
    const b = bias[0]!;
    for (let i = 0; i < values.length; i++) values[i]! += b;
    return;
  }
  for (let row = 0; row < values.length; row += channels) {
    for (let c = 0; c < channels; c++) values[row + c]! += bias[c]!;
  }
}

/** Applies an elementwise activation in place (not prelu). */
export function activateInPlace(values: Float32Array, activation: string, leakyreluAlpha = 0.2): void {
  const n = values.length;
  switch (activation) {
    case "linear":
      return;
    case "relu":
      for (let i = 0; i < n; i++) if (values[i]! < 0) values[i] = 0;
      return;
    case "relu6":
      for (let i = 0; i < n; i++) values[i] = Math.min(Math.max(values[i]!, 0), 6);
      return;
    case "elu":
      for (let i = 0; i < n; i++) if (values[i]! < 0) values[i] = Math.exp(values[i]!) - 1;
      return;
    case "sigmoid":
      for (let i = 0; i < n; i++) values[i] = 1 / (1 + Math.exp(-values[i]!));
      return;
    case "leakyrelu":
      for (let i = 0; i < n; i++) if (values[i]! < 0) values[i] = values[i]! * leakyreluAlpha;
      return;
    default:
      throw new Error(`Activation ${activation} is not supported by the cpu-blas backend (use linear, relu, relu6, elu, sigmoid, leakyrelu or prelu)`);
  }
}

/**
 * The epilogue through tfjs's cpu kernels: x + bias (any broadcast), then the
 * activation (prelu included). Disposes the intermediate; returns a new tensor.
 */
export function cpuEpilogue(
  backend: MathBackendCPU,
  result: TensorInfo,
  bias: TensorInfo | undefined,
  activation: string,
  preluActivationWeights: TensorInfo | undefined,
  leakyreluAlpha: number | undefined,
): TensorInfo {
  let current = result;
  if (bias) {
    const added = runCpuKernelSingle("Add", { inputs: { a: current, b: bias }, backend });
    backend.disposeIntermediateTensorInfo(current);
    current = added;
  }
  if (activation === "linear") return current;
  let activated: TensorInfo;
  if (activation === "prelu") {
    if (!preluActivationWeights) throw new Error("prelu activation needs preluActivationWeights");
    activated = runCpuKernelSingle("Prelu", { inputs: { x: current, alpha: preluActivationWeights }, backend });
  } else {
    const values = floatValues(backend, current);
    if (!values) throw new Error(`cpu-blas fused kernels compute in float32, got ${current.dtype}`);
    const copy = values.slice();
    activateInPlace(copy, activation, leakyreluAlpha);
    activated = output(backend, current.shape.slice(), copy);
  }
  backend.disposeIntermediateTensorInfo(current);
  return activated;
}
