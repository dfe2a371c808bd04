import { GatherV2, type GatherV2Attrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { i64, ptr } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";
import { withInt32 } from "../kernel_utils/elementwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** GatherV2 along `axis` (batchDims 0): out = x[..., indices, ...]; out-of-range indices give 0. */
export const gatherV2Config = cudaKernel(GatherV2, ({ inputs, cuda, attrs }) => {
  const { x, indices } = inputs as { x: TensorInfo; indices: TensorInfo };
  const { axis, batchDims } = attrs as unknown as GatherV2Attrs;
  if (batchDims !== 0) throw new CudaUnsupportedError(`GatherV2: batchDims=${batchDims} is not supported on the cuda backend (only 0)`);
  const [parsedAxis] = util.parseAxisParam(axis, x.shape);
  const a = parsedAxis!;
  const outer = util.sizeFromShape(x.shape.slice(0, a));
  const axisSize = x.shape[a]!;
  const inner = util.sizeFromShape(x.shape.slice(a + 1));
  const count = util.sizeFromShape(indices.shape);
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  const out = cuda.makeOutput(shape, x.dtype);
  const n = outer * count * inner;
  if (n > 0) {
    withInt32(cuda, indices, (index) =>
      cuda.device.launch("gather", "gather_b32", cuda.device.gridFor(n), 256, [
        ptr(cuda.pointer(out)), ptr(cuda.pointer(x)), ptr(cuda.pointer(index)), i64(outer), i64(axisSize), i64(inner), i64(count),
      ]),
    );
  }
  return out;
});
