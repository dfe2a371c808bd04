import { PadV2, type PadV2Attrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { f32, type KernelArg, ptr, struct } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { MAX_RANK } from "../sources/common";

/** Packs `struct pad_layout` (sources/pad.ts; keep both in step). */
function packPadLayout(n: number, outShape: number[], inShape: number[], before: number[]): Buffer {
  const buffer = Buffer.alloc((2 + 3 * MAX_RANK) * 8);
  const write = (slot: number, value: number) => buffer.writeBigInt64LE(BigInt(value), slot * 8);
  write(0, inShape.length);
  write(1, n);
  for (let d = 0; d < MAX_RANK; d++) {
    write(2 + d, outShape[d] ?? 1);
    write(2 + MAX_RANK + d, inShape[d] ?? 1);
    write(2 + 2 * MAX_RANK + d, before[d] ?? 0);
  }
  return buffer;
}

/** PadV2: x inside a box of `constantValue` (one thread per output element). */
export const padV2Config = cudaKernel(PadV2, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  const { paddings, constantValue } = attrs as unknown as PadV2Attrs;
  if (x.shape.length > MAX_RANK) throw new CudaUnsupportedError(`PadV2: rank ${x.shape.length} is above the cuda backend's ${MAX_RANK}`);
  const outShape = x.shape.map((size, d) => paddings[d]![0] + size + paddings[d]![1]);
  const out = cuda.makeOutput(outShape, x.dtype);
  const n = util.sizeFromShape(outShape);
  if (n === 0) return out;
  const type = cuda.deviceType(x.dtype);
  const layout = struct(packPadLayout(n, outShape, x.shape, paddings.map((p) => p[0])));
  const value: KernelArg = type === "f32" ? f32(constantValue) : { i32: constantValue | 0 };
  cuda.device.launch("pad", `pad_${type}`, cuda.device.gridFor(n), 256, [ptr(cuda.pointer(out)), ptr(util.sizeFromShape(x.shape) > 0 ? cuda.pointer(x) : 0), layout, value]);
  return out;
});
