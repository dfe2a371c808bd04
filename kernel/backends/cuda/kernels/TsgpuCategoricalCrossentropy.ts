import type { KernelConfig, TensorInfo } from "@tensorflow/tfjs-core";
import { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL, validateCategoricalCrossentropyInputs } from "../../../fused/categorical_crossentropy";
import { f32, i64, ptr } from "../device/cuda_device";
import { cudaKernel } from "../kernel_utils/kernel_config";

/** The fused categorical cross-entropy (kernel/fused/categorical_crossentropy.ts): one launch, one thread per row. */
export const categoricalCrossentropyConfigs: KernelConfig[] = [
  cudaKernel(CATEGORICAL_CROSSENTROPY_KERNEL, ({ inputs, cuda, attrs }) => {
    const { target, output } = inputs as { target: TensorInfo; output: TensorInfo };
    const { rows, classes } = validateCategoricalCrossentropyInputs(CATEGORICAL_CROSSENTROPY_KERNEL, inputs, attrs);
    const loss = cuda.makeOutput(output.shape.slice(0, -1), "float32");
    if (rows > 0) {
      cuda.device.launch("fused", "categorical_crossentropy_f32", cuda.device.gridFor(rows), 256, [
        ptr(cuda.pointer(loss)), ptr(cuda.pointer(target)), ptr(cuda.pointer(output)), i64(rows), i64(classes), f32((attrs as { epsilon: number }).epsilon),
      ]);
    }
    return loss;
  }),
  cudaKernel(CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, ({ inputs, cuda, attrs }) => {
    const { dy, target, output } = inputs as { dy: TensorInfo; target: TensorInfo; output: TensorInfo };
    const { rows, classes } = validateCategoricalCrossentropyInputs(CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, inputs, attrs);
    const grad = cuda.makeOutput([...output.shape], "float32");
    if (rows > 0) {
      cuda.device.launch("fused", "categorical_crossentropy_grad_f32", cuda.device.gridFor(rows), 256, [
        ptr(cuda.pointer(grad)), ptr(cuda.pointer(dy)), ptr(cuda.pointer(target)), ptr(cuda.pointer(output)), i64(rows), i64(classes), f32((attrs as { epsilon: number }).epsilon),
      ]);
    }
    return grad;
  }),
];
