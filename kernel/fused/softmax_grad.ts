/**
 * The fused softmax gradient: tfjs differentiates y = softmax(x) along the
 * last axis as `dy * y - sum(dy * y, -1, keepDims) * y`, four kernels (and
 * their trips through the engine) on a [batch, classes] tensor. Backends that
 * register {@link SOFTMAX_GRAD_KERNEL} (cpu-blas, cuda) do it in one; every
 * other backend keeps tfjs's formula.
 *
 * Contract: inputs { dy, y } float32 of one shape [..., n]; output, per row,
 * p = dy * y; out = p - sum(p) * y (tfjs's values, its float32 rounding of p,
 * of the sum and of the product included).
 */
import * as tfc from "@tensorflow/tfjs-core";

/** Kernel name of the fused softmax gradient (a tsgpu kernel, not a tfjs one). */
export const SOFTMAX_GRAD_KERNEL = "TsgpuSoftmaxGrad";

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
