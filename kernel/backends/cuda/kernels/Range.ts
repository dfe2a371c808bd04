import { type KernelConfig, Range, type RangeAttrs } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";

/** Range: start, start + step, ... below stop; computed on the host (small) and uploaded. */
export const rangeConfig: KernelConfig = {
  kernelName: Range,
  backendName: "cuda",
  kernelFunc: ({ backend, attrs }) => {
    const { start, stop, step, dtype } = attrs as unknown as RangeAttrs;
    const count = start === stop || step === 0 || Math.sign(stop - start) !== Math.sign(step) ? 0 : Math.ceil(Math.abs((stop - start) / step));
    const values = dtype === "int32" ? new Int32Array(count) : new Float32Array(count);
    for (let i = 0; i < count; i++) values[i] = start + i * step;
    return (backend as CudaBackend).makeTensorInfo([count], dtype, values);
  },
};
