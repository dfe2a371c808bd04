import { Range, type RangeAttrs } from "@tensorflow/tfjs-core";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** Range: start, start + step, ... below stop; computed on the host (small) and uploaded. */
export const rangeConfig = cudaKernel(Range, ({ cuda, attrs }) => {
  const { start, stop, step, dtype } = attrs as unknown as RangeAttrs;
  const count = start === stop || step === 0 || Math.sign(stop - start) !== Math.sign(step) ? 0 : Math.ceil(Math.abs((stop - start) / step));
  const values = dtype === "int32" ? new Int32Array(count) : new Float32Array(count);
  for (let i = 0; i < count; i++) values[i] = start + i * step;
  return (cuda).makeTensorInfo([count], dtype, values);
});
