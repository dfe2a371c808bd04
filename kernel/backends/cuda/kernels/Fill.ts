import { Fill, type FillAttrs, type KernelConfig, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { CudaUnsupportedError } from "../errors";

/** The 32-bit pattern of `value` stored as `dtype` on the device. */
export function fillBits(value: number, dtype: string): number {
  if (dtype === "float32") return new Uint32Array(new Float32Array([value]).buffer)[0]!;
  if (dtype === "bool") return value ? 1 : 0;
  return value | 0;
}

/** Fill: a tensor of `shape` with every element `value` (cuMemsetD32Async). */
export const fillConfig: KernelConfig = {
  kernelName: Fill,
  backendName: "cuda",
  kernelFunc: ({ backend, attrs }) => {
    const { shape, value, dtype } = attrs as unknown as FillAttrs;
    const cuda = backend as CudaBackend;
    if (typeof value === "string" || dtype === "string") throw new CudaUnsupportedError("Fill: string tensors are not supported on the cuda backend");
    const resolved = dtype ?? util.inferDtype(value);
    const out = cuda.makeOutput([...shape], resolved);
    cuda.device.fill32(cuda.pointer(out), fillBits(value, resolved), util.sizeFromShape(shape));
    return out;
  },
};
