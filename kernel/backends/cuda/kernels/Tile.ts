import { type TensorInfo, Tile, type TileAttrs, util } from "@tensorflow/tfjs-core";
import { ptr, struct } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";
import { packStridedCopy, rowMajorStrides } from "../kernel_utils/layout";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Tile: x repeated `reps[d]` times along each axis. */
export const tileConfig = cudaKernel(Tile, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  const { reps } = attrs as unknown as TileAttrs;
  if (x.dtype === "string") throw new CudaUnsupportedError("Tile: string tensors are not supported on the cuda backend");
  const shape = x.shape.map((d, i) => d * reps[i]!);
  const out = cuda.makeOutput(shape, x.dtype);
  const n = util.sizeFromShape(shape);
  if (n > 0) {
    const dims = shape.length === 0 ? [1] : shape;
    const inDims = x.shape.length === 0 ? [1] : [...x.shape];
    const layout = { dims, strides: [inDims, x.shape.length === 0 ? [1] : rowMajorStrides(x.shape)] };
    cuda.device.launch("copy", "tile_b32", cuda.device.gridFor(n), 256, [
      ptr(cuda.pointer(out)),
      ptr(cuda.pointer(x)),
      struct(packStridedCopy(n, layout, 0, 0, "Tile")),
    ]);
  }
  return out;
});
