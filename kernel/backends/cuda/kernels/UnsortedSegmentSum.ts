import { type TensorInfo, UnsortedSegmentSum, type UnsortedSegmentSumAttrs, util } from "@tensorflow/tfjs-core";
import { i64, ptr } from "../device/cuda_device";
import { castImpl, withInt32 } from "../kernel_utils/elementwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/**
 * UnsortedSegmentSum (GatherV2's gradient): x [...ids.shape, ...inner] summed
 * into [numSegments, ...inner] by segment id. The result is float32 for
 * every input dtype, as on tfjs's cpu backend (its sum goes through a float mask).
 */
export const unsortedSegmentSumConfig = cudaKernel(UnsortedSegmentSum, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  const segmentIds = inputs.segmentIds as TensorInfo;
  const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
  const rows = util.sizeFromShape(segmentIds.shape);
  const innerShape = x.shape.slice(segmentIds.shape.length);
  const inner = util.sizeFromShape(innerShape);
  const dtype = "float32";
  const out = cuda.makeOutput([numSegments, ...innerShape], dtype);
  const size = numSegments * inner;
  if (size === 0) return out;
  cuda.device.fill32(cuda.pointer(out), 0, size);
  if (rows * inner === 0) return out;
  const values = castImpl(cuda, x, dtype);
  withInt32(cuda, segmentIds, (ids) =>
    cuda.device.launch("gather", "unsorted_segment_sum_f32", cuda.device.gridFor(rows * inner), 256, [
      ptr(cuda.pointer(out)), ptr(cuda.pointer(values)), ptr(cuda.pointer(ids)), i64(rows), i64(inner), i64(numSegments),
    ]),
  );
  cuda.disposeIntermediateTensorInfo(values);
  return out;
});
