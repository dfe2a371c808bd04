/**
 * Routes the training step of tf.layers models that are a plain stack of
 * dense layers through {@link DENSE_STACK_GRADIENTS_KERNEL} (contract in
 * dense_stack.ts) when the active backend registers it. The step that
 * `LayersModel.makeTrainFunction` returns (used by `fit`, `fitDataset` and
 * `trainOnBatch`) is wrapped: each call checks the model and the batch
 * ({@link planDenseStack}); a model it covers gets its loss, prediction and
 * gradients from the kernel, then the model's own optimizer applies them and
 * its metrics are computed by tfjs. Anything else, or
 * `TSGPU_FUSED_STEP=0`, runs tfjs's step unchanged.
 *
 * Covered: one input and one output; an optional InputLayer and
 * channels-last Flatten, then Dense layers in a chain with relu or linear
 * activations and a softmax last; loss "categoricalCrossentropy"; every
 * dense weight trainable and float32; no regularizers, constraints or added
 * losses; no sample or class weights. Any optimizer and any metrics.
 *
 * This reads tfjs-layers 4.22's model and layer fields (the version tsgpu
 * pins); a model that does not look as expected is simply not fused.
 */
import * as tfc from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { LAYERS_EPSILON } from "../categorical_crossentropy.js";
import { isFusedCategoricalCrossentropy } from "./categorical_crossentropy.js";
import { DENSE_STACK_GRADIENTS_KERNEL, type DenseStackActivation, type DenseStackAttrs, denseStackInputNames } from "../dense_stack.js";

/** The parts of a tfjs-layers LayerVariable the plan reads. */
interface WeightLike {
  read(): tfc.Variable;
  trainable: boolean;
  dtype: string;
}

/** The parts of a tfjs-layers layer the plan reads (Dense and Flatten fields included). */
interface LayerLike {
  getClassName(): string;
  trainable: boolean;
  losses: unknown[];
  inboundNodes: { inboundLayers: LayerLike[] }[];
  activation?: { getClassName(): string };
  useBias?: boolean;
  kernel?: WeightLike | null;
  bias?: WeightLike | null;
  kernelRegularizer?: unknown;
  biasRegularizer?: unknown;
  activityRegularizer?: unknown;
  kernelConstraint?: unknown;
  biasConstraint?: unknown;
  dataFormat?: string;
}

type Metric = (yTrue: tfc.Tensor, yPred: tfc.Tensor) => tfc.Tensor;
type TrainFunction = (data: tfc.Tensor[]) => tfc.Scalar[];

/** The parts of a tfjs-layers LayersModel the plan and the fused step read. */
interface ModelLike {
  layers: LayerLike[];
  inputs: unknown[];
  outputs: unknown[];
  outputLayers: LayerLike[];
  lossFunctions: unknown[];
  metricsTensors: Array<[Metric, number]>;
  collectedTrainableWeights: WeightLike[];
  optimizer_: tfc.Optimizer;
}

/** What the fused step needs for one model: the kernel's variable inputs and attrs, and where each gradient lands. */
export interface DenseStackPlan {
  variables: Record<string, tfc.Variable>;
  attrs: DenseStackAttrs;
  /** The model's trainable weights (in its order) with the kernel output that holds each one's gradient. */
  gradients: { variable: tfc.Variable; output: number }[];
}

const isNone = (value: unknown): boolean => value === null || value === undefined;

/** The layer's activation if the fused step covers it at this position, else undefined. */
function activationOf(layer: LayerLike, last: boolean): DenseStackActivation | undefined {
  const name = layer.activation?.getClassName();
  if (last) return name === "softmax" ? "softmax" : undefined;
  return name === "relu" || name === "linear" ? name : undefined;
}

/** Why `layer` (a Dense) cannot be part of the fused step, or undefined when it can. */
function denseProblem(layer: LayerLike): string | undefined {
  if (!layer.kernel || (layer.useBias && !layer.bias)) return "a Dense layer is not built";
  if (![layer.kernelRegularizer, layer.biasRegularizer, layer.activityRegularizer].every(isNone)) return "a Dense layer has a regularizer";
  if (![layer.kernelConstraint, layer.biasConstraint].every(isNone)) return "a Dense layer has a constraint";
  const weights = layer.useBias ? [layer.kernel, layer.bias!] : [layer.kernel];
  if (!layer.trainable || weights.some((w) => !w.trainable)) return "a Dense layer is frozen";
  if (weights.some((w) => w.dtype !== "float32")) return "a Dense layer's weights are not float32";
  return undefined;
}

/**
 * The plan for one training step of `model` on `data` ([x, target, sample
 * weights?]), or the reason the fused step does not cover it.
 */
export function planDenseStack(model: ModelLike, data: readonly (tfc.Tensor | null | undefined)[]): DenseStackPlan | string {
  const backend = tfc.getBackend();
  if (!tfc.getKernel(DENSE_STACK_GRADIENTS_KERNEL, backend)) return `the ${backend} backend has no ${DENSE_STACK_GRADIENTS_KERNEL} kernel`;
  if (model.inputs.length !== 1 || model.outputs.length !== 1) return "the model has several inputs or outputs";
  if (model.lossFunctions.length !== 1 || !isFusedCategoricalCrossentropy(model.lossFunctions[0])) return 'the loss is not "categoricalCrossentropy"';
  if (data.length > 2 && data[2] != null) return "sample or class weights are given";
  const [x, target] = data;
  if (!x || !target || x.dtype !== "float32" || x.rank < 2) return "the input is not a float32 batch";

  let layers = model.layers;
  if (layers[0]?.getClassName() === "InputLayer") layers = layers.slice(1);
  const flattens = layers[0]?.getClassName() === "Flatten";
  if (flattens) {
    if (layers[0]!.dataFormat === "channelsFirst") return "Flatten is channels-first";
    layers = layers.slice(1);
  } else if (x.rank !== 2) return "the input is not rank 2 and there is no Flatten layer";
  if (layers.length === 0) return "the model has no Dense layer";
  if (model.outputLayers[0] !== layers[layers.length - 1]) return "the model's output is not its last layer";

  const attrs: DenseStackAttrs = { layers: [], epsilon: LAYERS_EPSILON };
  const variables: Record<string, tfc.Variable> = {};
  const outputOf = new Map<WeightLike, number>();
  let nextOutput = 2; // after the loss and the prediction
  let previous: LayerLike | undefined = model.layers[model.layers.indexOf(layers[0]!) - 1];
  for (const [index, layer] of layers.entries()) {
    if (layer.getClassName() !== "Dense") return `the model has a ${layer.getClassName()} layer`;
    const inbound = layer.inboundNodes;
    if (inbound.length !== 1 || inbound[0]!.inboundLayers.length !== 1 || (previous && inbound[0]!.inboundLayers[0] !== previous)) return "the layers are not a single chain";
    const problem = denseProblem(layer);
    if (problem) return problem;
    const activation = activationOf(layer, index === layers.length - 1);
    if (!activation) return `a Dense layer's activation (${layer.activation?.getClassName()}) is not covered`;
    const names = denseStackInputNames(index);
    variables[names.kernel] = layer.kernel!.read();
    outputOf.set(layer.kernel!, nextOutput++);
    if (layer.useBias) {
      variables[names.bias] = layer.bias!.read();
      outputOf.set(layer.bias!, nextOutput++);
    }
    attrs.layers.push({ activation, useBias: layer.useBias === true });
    previous = layer;
  }
  if (model.layers.some((layer) => layer.losses.length > 0)) return "a layer adds its own losses";
  const kernels = attrs.layers.map((_, i) => variables[denseStackInputNames(i).kernel]!);
  if (kernels[0]!.shape[0] !== x.size / x.shape[0]!) return "the input's row size is not the first Dense layer's input size";
  if (target.rank !== 2 || target.shape[0] !== x.shape[0] || target.shape[1] !== kernels[kernels.length - 1]!.shape[1]) return "the target is not [batch, units of the last layer]";
  const trainable = model.collectedTrainableWeights;
  if (trainable.length !== outputOf.size || trainable.some((w) => !outputOf.has(w))) return "the model's trainable weights are not exactly its Dense layers' weights";
  const gradients = trainable.map((weight) => ({ variable: weight.read(), output: outputOf.get(weight)! }));
  return { variables, attrs, gradients };
}

/** One training step through the fused kernel: tfjs-layers' train function's results ([loss, ...metrics]). */
function fusedStep(model: ModelLike, plan: DenseStackPlan, data: tfc.Tensor[]): tfc.Scalar[] {
  return tfc.tidy(() => {
    const [x, y] = data as [tfc.Tensor, tfc.Tensor];
    const target = y.dtype === "float32" ? y : tfc.cast(y, "float32");
    const inputs = { x, target, ...plan.variables } as unknown as tfc.NamedTensorMap;
    const outputs = tfc.engine().runKernel(DENSE_STACK_GRADIENTS_KERNEL, inputs, plan.attrs as unknown as tfc.NamedAttrMap) as tfc.Tensor[];
    const [loss, prediction] = outputs as [tfc.Scalar, tfc.Tensor];
    // As tfjs-layers' train function: each metric is the mean of metric(target, prediction).
    const metrics = model.metricsTensors.map(([metric]) => tfc.mean(metric(y, prediction)) as tfc.Scalar);
    model.optimizer_.applyGradients(plan.gradients.map(({ variable, output }) => ({ name: variable.name, tensor: outputs[output]! })));
    return [loss, ...metrics];
  });
}

const ORIGINAL = Symbol.for("tsgpu.fusedDenseStack.original");
let fusionEnabled = process.env.TSGPU_FUSED_STEP !== "0";

/**
 * Turns the fused dense-stack step on or off for this process (it starts on
 * unless `TSGPU_FUSED_STEP=0`); off, every model trains through tfjs's own
 * step. For measuring one against the other.
 */
export function setFusedDenseStack(enabled: boolean): void {
  fusionEnabled = enabled;
}

/** Wraps LayersModel.makeTrainFunction once per tfjs-layers instance (idempotent). */
export function installFusedDenseStack(): void {
  const prototype = tfl.LayersModel.prototype as unknown as { makeTrainFunction(): TrainFunction; [ORIGINAL]?: () => TrainFunction };
  if (prototype[ORIGINAL]) return;
  const original = prototype.makeTrainFunction;
  prototype[ORIGINAL] = original;
  prototype.makeTrainFunction = function makeTrainFunction(this: ModelLike): TrainFunction {
    const tfjsStep = original.call(this);
    return (data) => {
      const plan = fusionEnabled ? planDenseStack(this, data) : "turned off";
      return typeof plan === "string" ? tfjsStep(data) : fusedStep(this, plan, data);
    };
  };
}
