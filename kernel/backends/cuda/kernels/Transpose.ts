import { type TensorInfo, Transpose, type TransposeAttrs } from "@tensorflow/tfjs-core";
import { transposeImpl } from "../kernel_utils/copy";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Transpose by `perm` (a strided copy). */
export const transposeConfig = cudaKernel(Transpose, ({ inputs, cuda, attrs }) => transposeImpl(cuda, inputs.x as TensorInfo, [...(attrs as unknown as TransposeAttrs).perm]));
