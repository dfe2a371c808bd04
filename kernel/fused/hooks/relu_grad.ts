/** The Relu gradient override that routes through the fused ReLU gradient (contract: ../relu_grad.ts). */
import * as tfc from "@tensorflow/tfjs-core";
import { RELU_GRAD_KERNEL } from "../relu_grad.js";

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
