import { Cast, type CastAttrs, type TensorInfo } from "@tensorflow/tfjs-core";
import { castImpl } from "../kernel_utils/elementwise";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Cast between float32, int32 and bool (float -> int truncates toward zero, as the cpu backend). */
export const castConfig = cudaKernel(Cast, ({ inputs, cuda, attrs }) => castImpl(cuda, inputs.x as TensorInfo, (attrs as unknown as CastAttrs).dtype));
