import { AddN, type KernelConfig, type TensorInfo } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { castImpl, runBinary } from "../kernel_utils/elementwise";

/** AddN: the element-wise sum of same-shape tensors (pairwise adds). */
export const addNConfig: KernelConfig = {
  kernelName: AddN,
  backendName: "cuda",
  kernelFunc: ({ inputs, backend }) => {
    const cuda = backend as CudaBackend;
    const tensors = inputs as unknown as TensorInfo[];
    let sum = castImpl(cuda, tensors[0]!, tensors[0]!.dtype);
    for (const t of tensors.slice(1)) {
      const next = runBinary(cuda, sum, t, "add");
      cuda.disposeIntermediateTensorInfo(sum);
      sum = next;
    }
    return sum;
  },
};
