/** Cumulative sums and products along one axis (the reduce family's scan kernels). */
import { backend_util, type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { i64, ptr } from "../device/cuda_device";
import { castImpl } from "./elementwise";
import { cudaKernel } from "./kernel_config";

/** Cumsum or Cumprod (`op` sum or prod): float32 stays float32, int32 and bool give int32, as tfjs's cpu backend. */
export function scanKernel(kernelName: string, op: "sum" | "prod"): KernelConfig {
  return cudaKernel(kernelName, ({ inputs, cuda, attrs }) => {
    const x = inputs.x as TensorInfo;
    const { axis, exclusive, reverse } = attrs as unknown as { axis: number; exclusive: boolean; reverse: boolean };
    const rank = x.shape.length;
    const a = axis < 0 ? axis + rank : axis;
    util.assert(a >= 0 && a < rank, () => `${kernelName}: axis ${axis} is out of range for a rank-${rank} tensor`);
    const dtype = backend_util.upcastType(x.dtype, "int32");
    const input = castImpl(cuda, x, dtype);
    const out = cuda.makeOutput([...x.shape], dtype);
    const size = x.shape[a]!;
    const outer = util.sizeFromShape(x.shape.slice(0, a));
    const inner = util.sizeFromShape(x.shape.slice(a + 1));
    if (outer * size * inner > 0) {
      cuda.device.launch("reduce", `scan_${op}_${cuda.deviceType(dtype)}`, cuda.device.gridFor(outer * inner), 256, [
        ptr(cuda.pointer(out)), ptr(cuda.pointer(input)), i64(outer), i64(size), i64(inner), { i32: exclusive ? 1 : 0 }, { i32: reverse ? 1 : 0 },
      ]);
    }
    cuda.disposeIntermediateTensorInfo(input);
    return out;
  });
}
