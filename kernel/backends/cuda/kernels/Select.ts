import { backend_util, Select, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { ptr, struct } from "../device/cuda_device";
import { broadcastStrides, collapseDims, packBroadcast, rowMajorStrides } from "../kernel_utils/layout";
import { castImpl } from "../kernel_utils/elementwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/**
 * Select: condition ? t : e. The condition has t's shape, or is rank 1 over
 * t's first axis (tfjs's rule); t and e have the same shape.
 */
export const selectConfig = cudaKernel(Select, ({ inputs, cuda }) => {
  const { condition, t, e } = inputs as { condition: TensorInfo; t: TensorInfo; e: TensorInfo };
  const dtype = backend_util.upcastType(t.dtype, e.dtype);
  const ct = castImpl(cuda, t, dtype);
  const ce = castImpl(cuda, e, dtype);
  const shape = [...t.shape];
  const out = cuda.makeOutput(shape, dtype);
  const n = util.sizeFromShape(shape);
  if (n > 0) {
    const conditionStrides =
      condition.shape.length === 1 && shape.length > 1
        ? shape.map((_, d) => (d === 0 ? 1 : 0))
        : condition.shape.length === shape.length
          ? rowMajorStrides(condition.shape)
          : broadcastStrides(condition.shape, shape);
    const layout = collapseDims(shape, [conditionStrides, broadcastStrides(ct.shape, shape), broadcastStrides(ce.shape, shape)]);
    cuda.device.launch("elementwise", `select_${cuda.deviceType(dtype)}`, cuda.device.gridFor(n), 256, [
      ptr(cuda.pointer(out)),
      ptr(cuda.pointer(condition)),
      ptr(cuda.pointer(ct)),
      ptr(cuda.pointer(ce)),
      struct(packBroadcast(n, layout, "Select")),
    ]);
  }
  cuda.disposeIntermediateTensorInfo(ct);
  cuda.disposeIntermediateTensorInfo(ce);
  return out;
});
