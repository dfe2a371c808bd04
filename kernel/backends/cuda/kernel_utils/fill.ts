/** Filling device memory with one value: Fill, OnesLike and ZerosLike. */
import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { cudaKernel } from "./kernel_config";

/** The 32-bit pattern of `value` stored as `dtype` on the device. */
export function fillBits(value: number, dtype: string): number {
  if (dtype === "float32") return new Uint32Array(new Float32Array([value]).buffer)[0]!;
  if (dtype === "bool") return value ? 1 : 0;
  return value | 0;
}

/** A kernel whose output has input x's shape and dtype, every element `value` (OnesLike, ZerosLike). */
export function fillLikeKernel(kernelName: string, value: number): KernelConfig {
  return cudaKernel(kernelName, ({ inputs, cuda }) => {
    const x = inputs.x as TensorInfo;
    const out = cuda.makeOutput([...x.shape], x.dtype);
    cuda.device.fill32(cuda.pointer(out), fillBits(value, x.dtype), util.sizeFromShape(x.shape));
    return out;
  });
}
