import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL } from "../../../fused/categorical_crossentropy";
import type { CudaBackend } from "../backend_cuda";
import { f32, i64, ptr } from "../device/cuda_device";
import { CudaUnsupportedError } from "../errors";

/** Rows and classes of a [..., classes] float32 pair, or an error naming the kernel. */
function rowsOf(kernel: string, target: TensorInfo, output: TensorInfo): { rows: number; classes: number } {
  if (target.dtype !== "float32" || output.dtype !== "float32" || !util.arraysEqual(target.shape, output.shape) || output.shape.length === 0) {
    throw new CudaUnsupportedError(`${kernel}: target and output must be float32 of one shape [..., classes], got [${target.shape}] and [${output.shape}]`);
  }
  const classes = output.shape[output.shape.length - 1]!;
  const size = util.sizeFromShape(output.shape);
  return { rows: classes === 0 ? 0 : size / classes, classes };
}

/** The fused categorical cross-entropy (kernel/fused/categorical_crossentropy.ts): one launch, one thread per row. */
export const categoricalCrossentropyConfigs: KernelConfig[] = [
  {
    kernelName: CATEGORICAL_CROSSENTROPY_KERNEL,
    backendName: "cuda",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cuda = backend as CudaBackend;
      const { target, output } = inputs as { target: TensorInfo; output: TensorInfo };
      const { rows, classes } = rowsOf(CATEGORICAL_CROSSENTROPY_KERNEL, target, output);
      const loss = cuda.makeOutput(output.shape.slice(0, -1), "float32");
      if (rows > 0) {
        cuda.device.launch("fused", "categorical_crossentropy_f32", cuda.device.gridFor(rows), 256, [
          ptr(cuda.pointer(loss)), ptr(cuda.pointer(target)), ptr(cuda.pointer(output)), i64(rows), i64(classes), f32((attrs as { epsilon: number }).epsilon),
        ]);
      }
      return loss;
    },
  },
  {
    kernelName: CATEGORICAL_CROSSENTROPY_GRAD_KERNEL,
    backendName: "cuda",
    kernelFunc: ({ inputs, backend, attrs }) => {
      const cuda = backend as CudaBackend;
      const { dy, target, output } = inputs as { dy: TensorInfo; target: TensorInfo; output: TensorInfo };
      const { rows, classes } = rowsOf(CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, target, output);
      if (dy.dtype !== "float32" || util.sizeFromShape(dy.shape) !== rows) {
        throw new CudaUnsupportedError(`${CATEGORICAL_CROSSENTROPY_GRAD_KERNEL}: dy must be float32 with one value per row (${rows}), got [${dy.shape}]`);
      }
      const grad = cuda.makeOutput([...output.shape], "float32");
      if (rows > 0) {
        cuda.device.launch("fused", "categorical_crossentropy_grad_f32", cuda.device.gridFor(rows), 256, [
          ptr(cuda.pointer(grad)), ptr(cuda.pointer(dy)), ptr(cuda.pointer(target)), ptr(cuda.pointer(output)), i64(rows), i64(classes), f32((attrs as { epsilon: number }).epsilon),
        ]);
      }
      return grad;
    },
  },
];
