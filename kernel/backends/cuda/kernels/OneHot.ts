import { OneHot, type OneHotAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { f32, i64, ptr } from "../device/cuda_device";
import { withInt32 } from "../kernel_utils/elementwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** OneHot: indices [...] -> [..., depth] with onValue at each index, offValue elsewhere. */
export const oneHotConfig = cudaKernel(OneHot, ({ inputs, cuda, attrs }) => {
  const indices = inputs.indices as TensorInfo;
  const { depth, onValue, offValue, dtype } = attrs as unknown as OneHotAttrs;
  const out = cuda.makeOutput([...indices.shape, depth], dtype);
  const n = util.sizeFromShape(indices.shape);
  if (n * depth > 0) {
    withInt32(cuda, indices, (index) =>
      cuda.device.launch("gather", `one_hot_${cuda.deviceType(dtype)}`, cuda.device.gridFor(n * depth), 256, [
        ptr(cuda.pointer(out)), ptr(cuda.pointer(index)), i64(n), i64(depth), f32(onValue), f32(offValue),
      ]),
    );
  }
  return out;
});
