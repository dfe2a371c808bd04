import { backend_util, Concat, type ConcatAttrs, type TensorInfo, util } from "@tensorflow/tfjs-core";
import type { CudaBackend } from "../backend_cuda";
import { rowMajorStrides } from "../kernel_utils/layout";
import { copyStrided } from "../kernel_utils/copy";
import { castImpl } from "../kernel_utils/elementwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Tensors joined along `axis`: each input is copied into its region of the output. */
export function concatImpl(backend: CudaBackend, tensors: TensorInfo[], axis: number): TensorInfo {
  const [parsed] = util.parseAxisParam(axis, tensors[0]!.shape);
  const a = parsed!;
  backend_util.assertParamsConsistent(tensors.map((t) => t.shape), a);
  const shape = backend_util.computeOutShape(tensors.map((t) => t.shape), a);
  const dtype = tensors.map((t) => t.dtype).reduce((x, y) => backend_util.upcastType(x, y));
  const out = backend.makeOutput(shape, dtype);
  const outStrides = rowMajorStrides(shape);
  let offset = 0;
  for (const tensor of tensors) {
    const input = castImpl(backend, tensor, dtype);
    copyStrided(backend, backend.pointer(out), backend.pointer(input), [...tensor.shape], rowMajorStrides(tensor.shape), 0, outStrides, offset * outStrides[a]!);
    backend.disposeIntermediateTensorInfo(input);
    offset += tensor.shape[a]!;
  }
  return out;
}

/** Concat along `axis`. */
export const concatConfig = cudaKernel(Concat, ({ inputs, cuda, attrs }) => concatImpl(cuda, inputs as unknown as TensorInfo[], (attrs as unknown as ConcatAttrs).axis));
