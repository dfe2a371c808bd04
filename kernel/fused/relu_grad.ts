/**
 * The fused ReLU gradient: tfjs differentiates relu(x) as
 * `mul(dy, cast(step(x), "float32"))`, two kernels and two passes over
 * tensors that in a CNN hold millions of elements. Backends that register
 * {@link RELU_GRAD_KERNEL} (cpu-blas) do it in one pass; every other backend
 * keeps tfjs's own formula.
 *
 * Contract: inputs { dy, x } of one shape, float32; output dy where x > 0,
 * NaN where x is NaN, else dy * 0 (tfjs's values, signed zeros and NaN
 * propagation included).
 */
import * as tfc from "@tensorflow/tfjs-core";

/** Kernel name of the fused ReLU gradient (a tsgpu kernel, not a tfjs one). */
export const RELU_GRAD_KERNEL = "TsgpuReluGrad";

const INSTALLED = Symbol.for("tsgpu.fusedReluGradient");

/**
 * Replaces tfjs's gradient of Relu with one that runs {@link RELU_GRAD_KERNEL}
 * where the active backend has it and tfjs's formula elsewhere; also makes the
 * fused kernel differentiable (for gradients of gradients). Idempotent.
 */
export function installFusedReluGradient(): void {
  const registry = globalThis as { [INSTALLED]?: boolean };
  const original = tfc.getGradient(tfc.Relu);
  if (registry[INSTALLED] || !original) return;
  registry[INSTALLED] = true;
  tfc.registerGradient({
    kernelName: tfc.Relu,
    inputsToSave: ["x"],
    gradFunc: (dy, saved) => {
      const [x] = saved as tfc.Tensor[];
      return { x: () => reluGrad(dy as tfc.Tensor, x!) };
    },
  });
  tfc.registerGradient({
    kernelName: RELU_GRAD_KERNEL,
    inputsToSave: ["x"],
    gradFunc: (ddx, saved) => {
      const [x] = saved as tfc.Tensor[];
      return { dy: () => reluGrad(ddx as tfc.Tensor, x!), x: () => tfc.zerosLike(x!) };
    },
  });
}

function reluGrad(dy: tfc.Tensor, x: tfc.Tensor): tfc.Tensor {
  const fused = x.dtype === "float32" && dy.dtype === "float32" && tfc.util.arraysEqual(dy.shape, x.shape) && tfc.getKernel(RELU_GRAD_KERNEL, tfc.getBackend());
  if (!fused) return tfc.mul(dy, tfc.cast(tfc.step(x), "float32"));
  return tfc.engine().runKernel(RELU_GRAD_KERNEL, { dy, x } as unknown as tfc.NamedTensorMap) as tfc.Tensor;
}
