/**
 * Small helpers shared by the cpu-blas kernels: reading a tensor's float32
 * storage without copying, making output tensors, and falling back to tfjs's
 * own `cpu` kernel (same backend object) for cases the fast path does not cover
 * (other dtypes, NCHW, unusual broadcasts).
 */
import { getKernel, type KernelFunc, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from "@tensorflow/tfjs-core";
import type { MathBackendCPU } from "@tensorflow/tfjs-backend-cpu";

/** Arguments every kernel function receives. */
export interface KernelArgs {
  inputs: NamedTensorInfoMap;
  backend: MathBackendCPU;
  attrs?: NamedAttrMap;
}

/** The tensor's float32 values (the backend's own array, not a copy), or undefined for other dtypes. */
export function floatValues(backend: MathBackendCPU, info: TensorInfo): Float32Array | undefined {
  if (info.dtype !== "float32") return undefined;
  const values = backend.data.get(info.dataId).values;
  return values instanceof Float32Array ? values : undefined;
}

/** Wraps a result array as a float32 tensor owned by the backend. */
export function output(backend: MathBackendCPU, shape: number[], values: Float32Array): TensorInfo {
  return backend.makeTensorInfo(shape, "float32", values);
}

/** Runs tfjs's own `cpu` kernel for `name` on this backend. */
export function runCpuKernel(name: string, args: KernelArgs): TensorInfo | TensorInfo[] {
  const config = getKernel(name, "cpu");
  if (!config) throw new Error(`tfjs cpu kernel ${name} is not registered; import @tensorflow/tfjs before tsgpu's cpu-blas backend`);
  return (config.kernelFunc as KernelFunc)(args as Parameters<KernelFunc>[0]);
}

/** Like {@link runCpuKernel} for kernels with one output. */
export function runCpuKernelSingle(name: string, args: KernelArgs): TensorInfo {
  const result = runCpuKernel(name, args);
  return Array.isArray(result) ? result[0]! : result;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let size = 1;
  for (const d of shape) size *= d;
  return size;
}
