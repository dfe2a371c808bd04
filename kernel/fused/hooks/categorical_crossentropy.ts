/** `LayersModel.compile` routing of "categoricalCrossentropy" to the fused loss (contract: ../categorical_crossentropy.ts). */
import * as tfc from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, CATEGORICAL_CROSSENTROPY_KERNEL, LAYERS_EPSILON } from "../categorical_crossentropy.js";

type LossFunction = (yTrue: tfc.Tensor, yPred: tfc.Tensor) => tfc.Tensor;

const INSTALLED = Symbol.for("tsgpu.fusedCategoricalCrossentropy");

/** True when the active backend has both kernels and the tensors fit the contract. */
function canFuse(target: tfc.Tensor, output: tfc.Tensor): boolean {
  const backend = tfc.getBackend();
  return (
    output.dtype === "float32" &&
    output.rank >= 1 &&
    tfc.util.arraysEqual(target.shape, output.shape) &&
    tfc.getKernel(CATEGORICAL_CROSSENTROPY_KERNEL, backend) !== undefined &&
    tfc.getKernel(CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, backend) !== undefined
  );
}

const fusedLosses = new WeakSet<LossFunction>();

/** True for a loss made by {@link fusedCategoricalCrossentropy} (what models compiled with "categoricalCrossentropy" hold). */
export function isFusedCategoricalCrossentropy(loss: unknown): boolean {
  return typeof loss === "function" && fusedLosses.has(loss as LossFunction);
}

/** `original` (tfjs-layers' loss), run as the fused kernel where the backend has it. */
export function fusedCategoricalCrossentropy(original: LossFunction): LossFunction {
  const fused: LossFunction = (yTrue, yPred) => {
    if (!canFuse(yTrue, yPred)) return original(yTrue, yPred);
    return tfc.tidy(() => {
      const target = tfc.cast(yTrue, "float32");
      return tfc.engine().runKernel(CATEGORICAL_CROSSENTROPY_KERNEL, { target, output: yPred } as unknown as tfc.NamedTensorMap, { epsilon: LAYERS_EPSILON } as unknown as tfc.NamedAttrMap) as tfc.Tensor;
    });
  };
  fusedLosses.add(fused);
  return fused;
}

/**
 * Makes `LayersModel.compile` with `loss: "categoricalCrossentropy"` use the
 * fused loss (which falls back to tfjs-layers' own on backends without the
 * kernels), and registers the kernel's gradient. Idempotent. Models compiled
 * with a loss function or a per-output list keep exactly what they passed.
 */
export function installFusedCategoricalCrossentropy(): void {
  const registry = globalThis as { [INSTALLED]?: boolean };
  if (registry[INSTALLED]) return;
  registry[INSTALLED] = true;
  tfc.registerGradient({
    kernelName: CATEGORICAL_CROSSENTROPY_KERNEL,
    inputsToSave: ["target", "output"],
    gradFunc: (dy, saved) => {
      const [target, output] = saved as tfc.Tensor[];
      return {
        output: () => tfc.engine().runKernel(CATEGORICAL_CROSSENTROPY_GRAD_KERNEL, { dy, target, output } as unknown as tfc.NamedTensorMap, { epsilon: LAYERS_EPSILON } as unknown as tfc.NamedAttrMap) as tfc.Tensor,
        // d loss / d target = -log(q), per row times dy (rarely asked for: targets are data).
        target: () => {
          const q = tfc.clipByValue(tfc.div(output!, tfc.sum(output!, -1, true)), LAYERS_EPSILON, 1 - LAYERS_EPSILON);
          return tfc.mul(tfc.neg(tfc.log(q)), tfc.expandDims(dy as tfc.Tensor, -1));
        },
      };
    },
  });
  const prototype = tfl.LayersModel.prototype as unknown as { compile(args: tfl.ModelCompileArgs): void };
  const compile = prototype.compile;
  prototype.compile = function compileWithFusedLoss(this: { lossFunctions: LossFunction[] }, args: tfl.ModelCompileArgs) {
    compile.call(this, args);
    if (args.loss === "categoricalCrossentropy") this.lossFunctions = this.lossFunctions.map(fusedCategoricalCrossentropy);
  };
}
