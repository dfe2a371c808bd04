/**
 * Routes tfjs's `AdamOptimizer.applyGradients` (used by `tf.train.adam()` and
 * by `model.compile({ optimizer: "adam" })`) through the fused
 * {@link ADAM_UPDATE_KERNEL} when the active backend registers it (cpu-blas,
 * cuda), and through tfjs's own code otherwise. The optimizer keeps tfjs's
 * state layout (moment variables named `<variable>/m` and `/v`, accBeta1/2,
 * iterations), so getWeights/setWeights, saving and switching backends in the
 * middle of training all keep working.
 *
 * This relies on AdamOptimizer's private fields in tfjs 4.22 (the version
 * tsgpu pins); if they are not there, the original method runs.
 */
import * as tfc from "@tensorflow/tfjs-core";
import { ADAM_UPDATE_KERNEL, type AdamUpdateAttrs } from "../adam_update.js";

interface MomentSlot {
  originalName: string;
  variable: tfc.Variable;
}

/** The parts of tfjs 4.22's AdamOptimizer the fused path reads and updates. */
interface AdamInternals {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tfc.Variable;
  accBeta2: tfc.Variable;
  accumulatedFirstMoment: MomentSlot[];
  accumulatedSecondMoment: MomentSlot[];
  readonly iterations: number;
  incrementIterations(): void;
}

/** One variable's gradient, as tfjs's optimizers receive them in array form. */
interface NamedTensor {
  name: string;
  tensor: tfc.Tensor;
}

type ApplyGradients = (variableGradients: tfc.NamedTensorMap | NamedTensor[]) => void;

const ORIGINAL = Symbol.for("tsgpu.fusedAdam.original");

/** Installs the routing once per tfjs-core instance; returns true when the fused path is now in place. */
export function installFusedAdam(): boolean {
  const prototype = tfc.AdamOptimizer.prototype as unknown as { applyGradients: ApplyGradients; [ORIGINAL]?: ApplyGradients };
  if (prototype[ORIGINAL]) return true;
  const original = prototype.applyGradients;
  prototype[ORIGINAL] = original;
  prototype.applyGradients = function applyGradients(this: tfc.AdamOptimizer, variableGradients) {
    const adam = this as unknown as AdamInternals;
    if (!canFuse(adam, variableGradients)) return original.call(this, variableGradients);
    applyFused(adam, variableGradients);
  };
  return true;
}

/**
 * True when the active backend has the fused kernel, the optimizer looks as
 * expected, and every gradient is a float32 tensor of its variable's shape
 * (anything else, such as a gradient that broadcasts, takes tfjs's path and
 * gets tfjs's result or error).
 */
function canFuse(adam: AdamInternals, variableGradients: tfc.NamedTensorMap | NamedTensor[]): boolean {
  if (!tfc.getKernel(ADAM_UPDATE_KERNEL, tfc.getBackend())) return false;
  if (!Array.isArray(adam.accumulatedFirstMoment) || !Array.isArray(adam.accumulatedSecondMoment) || !adam.accBeta1) return false;
  const pairs = Array.isArray(variableGradients) ? variableGradients.map((g) => [g.name, g.tensor] as const) : Object.entries(variableGradients);
  const variables = tfc.engine().registeredVariables;
  return pairs.every(([name, g]) => g == null || (g.dtype === "float32" && variables[name]?.dtype === "float32" && tfc.util.arraysEqual(g.shape, variables[name]!.shape)));
}

function applyFused(adam: AdamInternals, variableGradients: tfc.NamedTensorMap | NamedTensor[]): void {
  const names = Array.isArray(variableGradients) ? variableGradients.map((g) => g.name) : Object.keys(variableGradients);
  const attrs: AdamUpdateAttrs = {
    learningRate: adam.learningRate,
    beta1: adam.beta1,
    beta2: adam.beta2,
    epsilon: adam.epsilon,
    step: adam.iterations + 1,
  };
  const engine = tfc.engine();
  tfc.tidy(() => {
    names.forEach((name, i) => {
      const value = engine.registeredVariables[name]!;
      adam.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tfc.tidy(() => tfc.zerosLike(value).variable(false)) };
      adam.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tfc.tidy(() => tfc.zerosLike(value).variable(false)) };
      const gradient = Array.isArray(variableGradients) ? variableGradients[i]!.tensor : variableGradients[name];
      if (gradient == null) return;
      const firstMoment = adam.accumulatedFirstMoment[i]!.variable;
      const secondMoment = adam.accumulatedSecondMoment[i]!.variable;
      const [newValue, newFirst, newSecond] = engine.runKernel(
        ADAM_UPDATE_KERNEL,
        { value, gradient, firstMoment, secondMoment } as unknown as tfc.NamedTensorMap,
        attrs as unknown as tfc.NamedAttrMap,
      ) as tfc.Tensor[];
      firstMoment.assign(newFirst!);
      secondMoment.assign(newSecond!);
      value.assign(newValue!);
    });
    // Kept in step for tfjs's own path (a later switch to a backend without the kernel).
    adam.accBeta1.assign(tfc.mul(adam.accBeta1, adam.beta1));
    adam.accBeta2.assign(tfc.mul(adam.accBeta2, adam.beta2));
  });
  adam.incrementIterations();
}
