/** The Softmax gradient override that routes through the fused softmax gradient (contract: ../softmax_grad.ts). */
import * as tfc from "@tensorflow/tfjs-core";
import { SOFTMAX_GRAD_KERNEL } from "../softmax_grad.js";

const INSTALLED = Symbol.for("tsgpu.fusedSoftmaxGradient");

/**
 * Replaces tfjs's gradient of Softmax with one that runs
 * {@link SOFTMAX_GRAD_KERNEL} where the active backend has it and tfjs's
 * formula elsewhere; also makes the fused kernel differentiable. Idempotent.
 */
export function installFusedSoftmaxGradient(): void {
  const registry = globalThis as { [INSTALLED]?: boolean };
  if (registry[INSTALLED] || !tfc.getGradient(tfc.Softmax)) return;
  registry[INSTALLED] = true;
  tfc.registerGradient({
    kernelName: tfc.Softmax,
    outputsToSave: [true],
    gradFunc: (dy, saved) => {
      const [y] = saved as tfc.Tensor[];
      return { logits: () => softmaxGrad(dy as tfc.Tensor, y!) };
    },
  });
  tfc.registerGradient({
    kernelName: SOFTMAX_GRAD_KERNEL,
    inputsToSave: ["dy", "y"],
    gradFunc: (ddx, saved) => {
      const [dy, y] = saved as tfc.Tensor[];
      const upstream = ddx as tfc.Tensor;
      return {
        // out = y * (dy - sum(dy * y)) is linear in dy with the same form.
        dy: () => softmaxGrad(upstream, y!),
        y: () => {
          const s = tfc.sum(tfc.mul(dy!, y!), -1, true);
          return tfc.sub(tfc.mul(upstream, tfc.sub(dy!, s)), tfc.mul(dy!, tfc.sum(tfc.mul(upstream, y!), -1, true)));
        },
      };
    },
  });
}

function softmaxGrad(dy: tfc.Tensor, y: tfc.Tensor): tfc.Tensor {
  const fused = y.rank >= 1 && y.dtype === "float32" && dy.dtype === "float32" && tfc.util.arraysEqual(dy.shape, y.shape) && tfc.getKernel(SOFTMAX_GRAD_KERNEL, tfc.getBackend());
  if (!fused) {
    const dyTimesY = tfc.mul(dy, y);
    return tfc.sub(dyTimesY, tfc.mul(tfc.sum(dyTimesY, [y.rank - 1], true), y));
  }
  return tfc.engine().runKernel(SOFTMAX_GRAD_KERNEL, { dy, y } as unknown as tfc.NamedTensorMap) as tfc.Tensor;
}
