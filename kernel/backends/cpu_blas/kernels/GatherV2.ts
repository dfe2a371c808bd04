import { GatherV2, type GatherV2Attrs, type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { type KernelArgs, runCpuKernelSingle } from "../kernel_utils/kernel_support.js";
import { float32Pool } from "../kernel_utils/buffer_pool.js";

/** Rows shorter than this are copied element by element: a subarray view plus set() costs more than the copy (a batch of one-hot labels). */
const SET_MIN_ROW = 64;

/**
 * GatherV2 along axis 0 (batch selection in model.fit, embeddings) as one
 * contiguous row copy per index; other axes and batchDims use tfjs's kernel.
 */
export function gatherV2Kernel(args: KernelArgs): TensorInfo {
  const { backend } = args;
  const { x, indices } = args.inputs as { x: TensorInfo; indices: TensorInfo };
  const { axis, batchDims } = args.attrs as unknown as GatherV2Attrs;
  const parsedAxis = util.parseAxisParam(axis, x.shape)[0];
  const source = backend.data.get(x.dataId).values;
  const index = backend.data.get(indices.dataId).values;
  if (parsedAxis !== 0 || (batchDims ?? 0) !== 0 || !(source instanceof Float32Array || source instanceof Int32Array) || !(index instanceof Int32Array || index instanceof Float32Array)) {
    return runCpuKernelSingle(GatherV2, args);
  }
  const rows = x.shape[0]!;
  const rowLength = rows === 0 ? 0 : source.length / rows;
  const out = source instanceof Float32Array ? float32Pool.alloc(index.length * rowLength, false) : new Int32Array(index.length * rowLength);
  for (let i = 0; i < index.length; i++) {
    const row = index[i]!;
    if (!(row >= 0 && row <= rows - 1)) throw new Error(`GatherV2: the index value ${row} is not in [0, ${rows - 1}]`);
    if (rowLength >= SET_MIN_ROW) out.set(source.subarray(row * rowLength, (row + 1) * rowLength), i * rowLength);
    else for (let j = 0, from = row * rowLength, to = i * rowLength; j < rowLength; j++) out[to + j] = source[from + j]!;
  }
  return backend.makeTensorInfo([...indices.shape, ...x.shape.slice(1)], x.dtype, out);
}

export const gatherV2Config: KernelConfig = {
  kernelName: GatherV2,
  backendName: "cpu-blas",
  kernelFunc: gatherV2Kernel as unknown as KernelConfig["kernelFunc"],
};
