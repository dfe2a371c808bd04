import { PadV2, type PadV2Attrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { CudaUnsupportedError } from "../errors";
import { copyStrided } from "../kernel_utils/copy";
import { fillBits } from "../kernel_utils/fill";
import { rowMajorStrides } from "../kernel_utils/layout";
import { cudaKernel } from "../kernel_utils/kernel_config";

/**
 * PadV2 (tf.pad; also the gradient of Slice): the output filled with
 * `constantValue`, then x copied into the box at the leading paddings.
 */
export const padV2Config = cudaKernel(PadV2, ({ inputs, cuda, attrs }) => {
  const x = inputs.x as TensorInfo;
  const { paddings, constantValue } = attrs as unknown as PadV2Attrs;
  if (x.dtype === "string" || x.dtype === "complex64") throw new CudaUnsupportedError(`PadV2: ${x.dtype} tensors are not supported on the cuda backend`);
  const shape = x.shape.map((d, i) => paddings[i]![0] + d + paddings[i]![1]);
  const out = cuda.makeOutput(shape, x.dtype);
  const n = util.sizeFromShape(shape);
  if (n === 0) return out;
  if (n > util.sizeFromShape(x.shape)) cuda.device.fill32(cuda.pointer(out), fillBits(constantValue, x.dtype), n);
  const outStrides = rowMajorStrides(shape);
  const offset = paddings.reduce((sum, [before], d) => sum + before * outStrides[d]!, 0);
  copyStrided(cuda, cuda.pointer(out), cuda.pointer(x), [...x.shape], rowMajorStrides(x.shape), 0, outStrides, offset);
  return out;
});
