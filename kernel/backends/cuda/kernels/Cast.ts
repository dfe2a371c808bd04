import { Cast, type CastAttrs, type KernelConfig, type KernelFunc, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { castImpl } from "../kernel_utils/elementwise";

/** Cast between float32, int32 and bool (float -> int truncates toward zero, as the cpu backend). */
export const cast: KernelFunc = ({ inputs, backend, attrs }) => {
  const { dtype } = attrs as unknown as CastAttrs;
  return castImpl(backend as CudaBackend, inputs.x as TensorInfo, dtype);
};

export const castConfig: KernelConfig = { kernelName: Cast, backendName: "cuda", kernelFunc: cast };
