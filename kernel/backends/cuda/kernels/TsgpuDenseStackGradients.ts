import { type _FusedMatMulAttrs, type KernelConfig, type KernelFunc, type NamedAttrMap, type TensorInfo } from "@tensorflow/tfjs-core";
import { DENSE_STACK_GRADIENTS_KERNEL, type DenseStackAttrs, validateDenseStackInputs } from "../../../fused/dense_stack";
import { fillBits } from "../kernel_utils/fill";
import { batchMatMulImpl } from "../kernel_utils/matmul";
import { reduceImpl } from "../kernel_utils/reduce";
import { cudaKernel } from "../kernel_utils/kernel_config";
import { softmaxConfig } from "./Softmax";
import { categoricalCrossentropyConfigs } from "./TsgpuCategoricalCrossentropy";
import { reluGradConfig } from "./TsgpuReluGrad";
import { softmaxGradConfig } from "./TsgpuSoftmaxGrad";
import { fusedMatMulConfig } from "./_FusedMatMul";

/**
 * The fused dense-stack step (kernel/fused/dense_stack.ts) as the
 * backend's own kernels queued back to back on its stream, with no trip
 * through tfjs's engine in between: per layer a cuBLAS GEMM with the bias and
 * activation in one pass (as _FusedMatMul), softmax, the cross-entropy and
 * its mean; backwards the fused cross-entropy and softmax gradients, then per
 * layer two GEMMs, the bias column sum and the ReLU gradient. An MLP step is
 * then about 17 launches and one engine call instead of about 60 of each.
 */
export const denseStackGradientsConfig = cudaKernel(DENSE_STACK_GRADIENTS_KERNEL, ({ inputs, cuda, attrs }) => {
  const named = inputs as Record<string, TensorInfo | undefined>;
  const { layers, epsilon } = attrs as unknown as DenseStackAttrs;
  const { rows, features, weights } = validateDenseStackInputs(named, attrs);
  const x = named.x!;
  const target = named.target!;
  const run = (kernel: KernelConfig, kernelInputs: Record<string, TensorInfo>, kernelAttrs: object = {}): TensorInfo =>
    (kernel.kernelFunc as KernelFunc)({ inputs: kernelInputs, backend: cuda, attrs: kernelAttrs as NamedAttrMap }) as TensorInfo;
  const scratch: TensorInfo[] = [];
  const keep = <T extends TensorInfo>(info: T): T => (scratch.push(info), info);

  // x's rows flattened: the same device memory seen as [rows, features].
  const activations: TensorInfo[] = [{ ...x, shape: [rows, features] }];
  layers.forEach((layer, i) => {
    const { kernel, bias } = weights[i]!;
    const matMulAttrs: Partial<_FusedMatMulAttrs> = { transposeA: false, transposeB: false, activation: layer.activation === "relu" ? "relu" : "linear" };
    const z = run(fusedMatMulConfig, { a: activations[i]!, b: kernel, ...(bias ? { bias } : {}) }, matMulAttrs);
    if (layer.activation === "softmax") {
      activations.push(run(softmaxConfig, { logits: z }, { dim: -1 }));
      cuda.disposeIntermediateTensorInfo(z);
    } else activations.push(z);
  });
  const prediction = activations[layers.length]!;
  const [crossentropy, crossentropyGrad] = categoricalCrossentropyConfigs as [KernelConfig, KernelConfig];
  const rowLoss = keep(run(crossentropy, { target, output: prediction }, { epsilon }));
  const loss = reduceImpl(cuda, rowLoss, [0], false, "mean", "float32");

  // Backward, from the mean's gradient (1 / rows for every row).
  const dy = keep(cuda.makeOutput([rows], "float32"));
  cuda.device.fill32(cuda.pointer(dy), fillBits(1 / rows, "float32"), rows);
  const predictionGradient = keep(run(crossentropyGrad, { dy, target, output: prediction }, { epsilon }));
  let delta = keep(run(softmaxGradConfig, { dy: predictionGradient, y: prediction }));
  const gradients: TensorInfo[] = [];
  for (let i = layers.length - 1; i >= 0; i--) {
    const { kernel, bias } = weights[i]!;
    const input = activations[i]!;
    const layerGradients = [batchMatMulImpl(cuda, input, delta, true, false)];
    if (bias) layerGradients.push(reduceImpl(cuda, delta, [0], false, "sum", "float32"));
    gradients.unshift(...layerGradients);
    if (i > 0) {
      const inputDelta = batchMatMulImpl(cuda, delta, kernel, false, true);
      // relu's gradient from its output: relu(z) > 0 exactly where z > 0, and NaN where z is NaN.
      delta = keep(layers[i - 1]!.activation === "relu" ? run(reluGradConfig, { dy: keep(inputDelta), x: input }) : inputDelta);
    }
  }
  for (const info of [...scratch, ...activations.slice(1, -1)]) cuda.disposeIntermediateTensorInfo(info);
  return [loss, prediction, ...gradients];
});
