import { Fill, type FillAttrs, util } from "@tensorflow/tfjs-core";
import { CudaUnsupportedError } from "../errors";
import { fillBits } from "../kernel_utils/fill";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Fill: a tensor of `shape` with every element `value` (cuMemsetD32Async). */
export const fillConfig = cudaKernel(Fill, ({ cuda, attrs }) => {
  const { shape, value, dtype } = attrs as unknown as FillAttrs;
  if (typeof value === "string" || dtype === "string") throw new CudaUnsupportedError("Fill: string tensors are not supported on the cuda backend");
  const resolved = dtype ?? util.inferDtype(value);
  const out = cuda.makeOutput([...shape], resolved);
  cuda.device.fill32(cuda.pointer(out), fillBits(value, resolved), util.sizeFromShape(shape));
  return out;
});
