import { AddN, type TensorInfo } from "@tensorflow/tfjs-core";
import { castImpl, runBinary } from "../kernel_utils/elementwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** AddN: the element-wise sum of same-shape tensors (pairwise adds). */
export const addNConfig = cudaKernel(AddN, ({ inputs, cuda }) => {
  const tensors = inputs as unknown as TensorInfo[];
  let sum = castImpl(cuda, tensors[0]!, tensors[0]!.dtype);
  for (const t of tensors.slice(1)) {
    const next = runBinary(cuda, sum, t, "add");
    cuda.disposeIntermediateTensorInfo(sum);
    sum = next;
  }
  return sum;
});
