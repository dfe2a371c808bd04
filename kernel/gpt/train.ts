/**
 * Training a GPT on a token array: random windows of contextLength + 1
 * tokens (seeded), AdamW, linear warmup then cosine decay, global-norm
 * gradient clipping, dropout, a validation loss every `validationEvery`
 * steps. Progress goes to tfjs-layers style callbacks (every
 * `validationEvery` steps is an "epoch"), so `trainingChart()` works as is.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { tfjs } from "../tensor/tfjs.js";
import type { GptConfig } from "./config.js";
import { checkTokenIds, GptInputError } from "./errors.js";
import { forward, lmHead } from "./forward.js";
import { adamw, vocabCrossEntropy } from "./ops.js";
import { type Parameters, parameterSpecs } from "./params.js";
import { randomSeed, SeededRandom } from "./random.js";

type Logs = Record<string, number>;

/** The callback methods `fit` calls (a subset of tfjs-layers' Callback; `trainingChart()` is one). */
export interface FitCallback {
  setParams?(params: Record<string, unknown>): void;
  onTrainBegin?(logs?: Logs): unknown;
  onEpochBegin?(epoch: number, logs?: Logs): unknown;
  onBatchBegin?(batch: number, logs?: Logs): unknown;
  onBatchEnd?(batch: number, logs?: Logs): unknown;
  onEpochEnd?(epoch: number, logs?: Logs): unknown;
  onTrainEnd?(logs?: Logs): unknown;
}

/** Options of {@link GptModel.fit}. */
export interface FitOptions {
  /** Sequences per step. Default 8. */
  batchSize?: number;
  /** Tokens per sequence; at most the model's context. Default: the model's context. */
  contextLength?: number;
  /** Optimizer steps. Default 100. */
  steps?: number;
  /** Peak learning rate. Default 3e-4. */
  learningRate?: number;
  /** Final learning rate of the cosine decay. Default learningRate / 10. */
  minLearningRate?: number;
  /** Steps of linear warmup from 0 to learningRate. Default 0. */
  warmupSteps?: number;
  /** AdamW's decoupled weight decay on matrices and embeddings. Default 0.1. */
  weightDecay?: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
  /** Clip the global gradient norm to this. Default 1.0; 0 turns clipping off. */
  gradClip?: number;
  /** Held-out token ids for a validation loss. */
  validation?: ArrayLike<number>;
  /** Steps between validation losses (one "epoch" for the callbacks). Default: steps / 10, at least 1. */
  validationEvery?: number;
  /** Batches averaged per validation loss (fixed windows). Default 4. */
  validationBatches?: number;
  /** Seed for batches and dropout. Default: random. */
  seed?: number;
  callbacks?: FitCallback | FitCallback[];
}

/** What `fit` returns. */
export interface FitHistory {
  /** Training loss of every step. */
  loss: number[];
  /** Validation losses, one every `validationEvery` steps (empty without `validation`). */
  valLoss: number[];
  /** The step after which each validation loss was measured. */
  valSteps: number[];
  /** Training tokens per second over the whole run (validation time excluded). */
  tokensPerSecond: number;
}

/** AdamW's moment estimates and step count, kept on the model between fits. */
export interface OptimizerState {
  step: number;
  m: Map<string, tfTypes.Variable>;
  v: Map<string, tfTypes.Variable>;
}

/** Learning rate at 0-based `step`: linear warmup, then cosine decay to minLearningRate. */
export function learningRateAt(step: number, steps: number, peak: number, minimum: number, warmup: number): number {
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, steps - warmup));
  return minimum + 0.5 * (peak - minimum) * (1 + Math.cos(Math.PI * progress));
}

/** `batchSize` random windows: inputs [B, T] and targets shifted by one. */
export function sampleBatch(tokens: ArrayLike<number>, batchSize: number, time: number, random: SeededRandom): { inputs: Int32Array; targets: Int32Array } {
  const inputs = new Int32Array(batchSize * time);
  const targets = new Int32Array(batchSize * time);
  for (let b = 0; b < batchSize; b++) {
    const start = random.integer(tokens.length - time);
    for (let t = 0; t < time; t++) {
      inputs[b * time + t] = tokens[start + t]!;
      targets[b * time + t] = tokens[start + t + 1]!;
    }
  }
  return { inputs, targets };
}

/** Mean next-token loss of a batch (dropout only when `training` is given). */
export function batchLoss(config: GptConfig, params: Parameters, batch: { inputs: Int32Array; targets: Int32Array }, shape: [number, number], training?: SeededRandom): tfTypes.Scalar {
  const tf = tfjs();
  const ids = tf.tensor2d(batch.inputs, shape, "int32");
  const { hidden } = forward(config, params, ids, { keepCache: false, ...(training ? { training: { random: training } } : {}) });
  const logits = lmHead(params, hidden.reshape([shape[0] * shape[1], config.embedding]));
  return vocabCrossEntropy(logits, tf.tensor1d(batch.targets, "int32")) as tfTypes.Scalar;
}

export function checkTokens(tokens: ArrayLike<number>, time: number, config: GptConfig, what: string): void {
  if (!tokens || typeof tokens.length !== "number") throw new GptInputError(`fit: ${what} must be an array of token ids`);
  if (tokens.length < time + 1) throw new GptInputError(`fit: ${what} has ${tokens.length} tokens; a window needs contextLength + 1 = ${time + 1}: give more text or a smaller contextLength`);
  checkTokenIds(tokens, config.vocabSize, `fit: ${what}`);
}

/** One optimizer step; returns the loss. Every tensor it makes is gone when it returns or throws. */
type Hyper = Required<Pick<FitOptions, "beta1" | "beta2" | "epsilon" | "weightDecay" | "gradClip">> & { learningRate: number };

function trainStep(config: GptConfig, params: Parameters, state: OptimizerState, batch: ReturnType<typeof sampleBatch>, shape: [number, number], random: SeededRandom, hyper: Hyper): tfTypes.Scalar {
  const tf = tfjs();
  let tape: TapeNode[] | undefined;
  try {
    return tf.tidy(() => stepInScope(tf, config, params, state, batch, shape, random, hyper, (t) => (tape = t)));
  } catch (error) {
    // tfjs keeps the tensors saved for the backward pass outside every tidy scope and frees
    // them only after a backward pass completes: a step that throws would leak them.
    for (const node of tape ?? []) for (const tensor of node.saved ?? []) tensor.dispose();
    throw error;
  }
}

/** What tfjs's gradient tape records per op (engine internals, tfjs 4.x). */
interface TapeNode {
  saved?: tfTypes.Tensor[];
}

/** The step inside its tidy scope: gradients, clipping, AdamW; `onTape` gets tfjs's tape. */
function stepInScope(tf: ReturnType<typeof tfjs>, config: GptConfig, params: Parameters, state: OptimizerState, batch: ReturnType<typeof sampleBatch>, shape: [number, number], random: SeededRandom, hyper: Hyper, onTape: (tape: TapeNode[] | undefined) => void): tfTypes.Scalar {
  const names = [...params.keys()];
  const lossOfBatch = () => {
    onTape((tf.engine() as unknown as { state: { activeTape?: TapeNode[] } }).state.activeTape);
    return batchLoss(config, params, batch, shape, random);
  };
  const { value, grads } = tf.variableGrads(lossOfBatch, names.map((n) => params.get(n)!));
  const byVariable = new Map(names.map((n) => [n, grads[params.get(n)!.name]!]));
  // The clipping scale stays a device tensor that AdamW reads where it runs: nothing in the step is read back.
  let gradScale: tfTypes.Scalar | undefined;
  if (hyper.gradClip > 0) {
    const norm = tf.sqrt(tf.addN([...byVariable.values()].map((g) => g.square().sum())));
    gradScale = tf.minimum(1, tf.div(hyper.gradClip, norm.add(1e-6)));
  }
  state.step++;
  for (const spec of parameterSpecs(config)) {
    adamw(params.get(spec.name)!, byVariable.get(spec.name)!, state.m.get(spec.name)!, state.v.get(spec.name)!, {
      ...(gradScale ? { gradScale } : {}),
      learningRate: hyper.learningRate, beta1: hyper.beta1, beta2: hyper.beta2, epsilon: hyper.epsilon, step: state.step,
      weightDecay: spec.decay ? hyper.weightDecay : 0,
    });
  }
  return value;
}

/** Trains `params` in place; see {@link FitOptions}. */
export async function fit(config: GptConfig, params: Parameters, state: OptimizerState, tokens: ArrayLike<number>, options: FitOptions = {}): Promise<FitHistory> {
  const tf = tfjs();
  const batchSize = options.batchSize ?? 8;
  const time = options.contextLength ?? config.contextLength;
  const steps = options.steps ?? 100;
  if (time > config.contextLength || time < 1) throw new GptInputError(`fit: contextLength ${time} must be between 1 and the model's context ${config.contextLength}`);
  if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(batchSize) || batchSize < 1) throw new GptInputError(`fit: steps (${steps}) and batchSize (${batchSize}) must be positive integers`);
  checkTokens(tokens, time, config, "the training tokens");
  if (options.validation) checkTokens(options.validation, time, config, "validation");
  const every = Math.max(1, options.validationEvery ?? Math.ceil(steps / 10));
  const peak = options.learningRate ?? 3e-4;
  const hyper = { beta1: options.beta1 ?? 0.9, beta2: options.beta2 ?? 0.95, epsilon: options.epsilon ?? 1e-8, weightDecay: options.weightDecay ?? 0.1, gradClip: options.gradClip ?? 1.0 };
  const random = new SeededRandom(options.seed ?? randomSeed());
  const shape: [number, number] = [batchSize, time];
  const callbacks = options.callbacks === undefined ? [] : Array.isArray(options.callbacks) ? options.callbacks : [options.callbacks];
  for (const [name, variable] of params) {
    if (!state.m.has(name)) {
      for (const moments of [state.m, state.v]) {
        const zeros = tf.zerosLike(variable);
        moments.set(name, tf.variable(zeros, false));
        zeros.dispose();
      }
    }
  }
  const epochs = Math.ceil(steps / every);
  for (const c of callbacks) c.setParams?.({ epochs, initialEpoch: 0, steps: every, batchSize, samples: every * batchSize, verbose: 0 });
  for (const c of callbacks) await c.onTrainBegin?.({});
  const history: FitHistory = { loss: [], valLoss: [], valSteps: [], tokensPerSecond: 0 };
  // A step's loss is read back (one sync with the device) only when a callback's onBatchEnd needs it;
  // otherwise the steps of an epoch are queued without a read and their losses read together at its end.
  const lossEveryStep = callbacks.some((c) => c.onBatchEnd !== undefined);
  let trainSeconds = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const c of callbacks) await c.onEpochBegin?.(epoch, {});
    const epochSteps = Math.min(every, steps - epoch * every);
    const queued: tfTypes.Scalar[] = [];
    try {
      for (let batch = 0; batch < epochSteps; batch++) {
        const step = epoch * every + batch;
        for (const c of callbacks) await c.onBatchBegin?.(batch, { batch, size: batchSize });
        const started = performance.now();
        const learningRate = learningRateAt(step, steps, peak, options.minLearningRate ?? peak / 10, options.warmupSteps ?? 0);
        queued.push(trainStep(config, params, state, sampleBatch(tokens, batchSize, time, random), shape, random, { ...hyper, learningRate }));
        if (lossEveryStep) {
          const loss = (await readLosses(queued.splice(0)))[0]!;
          trainSeconds += (performance.now() - started) / 1000;
          history.loss.push(loss);
          const tokensPerSecond = ((step + 1) * batchSize * time) / trainSeconds;
          for (const c of callbacks) await c.onBatchEnd?.(batch, { batch, size: batchSize, loss, tokens_per_second: tokensPerSecond, learning_rate: learningRate });
        } else {
          trainSeconds += (performance.now() - started) / 1000;
        }
      }
      if (!lossEveryStep) {
        // Queuing time plus the wait for the device to finish: the epoch's training time.
        const started = performance.now();
        history.loss.push(...(await readLosses(queued.splice(0))));
        trainSeconds += (performance.now() - started) / 1000;
      }
    } finally {
      for (const t of queued) t.dispose();
    }
    const epochLosses = history.loss.slice(-epochSteps);
    const logs: Logs = { loss: epochLosses.reduce((a, b) => a + b, 0) / epochSteps, tokens_per_second: (history.loss.length * batchSize * time) / trainSeconds };
    if (options.validation) {
      logs["val_loss"] = await validationLoss(config, params, options.validation, batchSize, time, options.validationBatches ?? 4);
      history.valLoss.push(logs["val_loss"]);
      history.valSteps.push(history.loss.length);
    }
    for (const c of callbacks) await c.onEpochEnd?.(epoch, logs);
  }
  history.tokensPerSecond = (steps * batchSize * time) / trainSeconds;
  for (const c of callbacks) await c.onTrainEnd?.({});
  return history;
}

/** The values of scalar losses in one read from the device (then disposed). */
async function readLosses(losses: tfTypes.Scalar[]): Promise<number[]> {
  const tf = tfjs();
  try {
    if (losses.length === 1) return Array.from(await losses[0]!.data());
    const stacked = tf.stack(losses);
    try {
      return Array.from(await stacked.data());
    } finally {
      stacked.dispose();
    }
  } finally {
    for (const t of losses) t.dispose();
  }
}

/** Mean loss over `batches` fixed windows of the validation tokens (no dropout); the losses are read back in one go. */
export async function validationLoss(config: GptConfig, params: Parameters, tokens: ArrayLike<number>, batchSize: number, time: number, batches: number): Promise<number> {
  const tf = tfjs();
  const random = new SeededRandom(1234);
  const losses: tfTypes.Scalar[] = [];
  try {
    for (let i = 0; i < batches; i++) losses.push(tf.tidy(() => batchLoss(config, params, sampleBatch(tokens, batchSize, time, random), [batchSize, time])));
  } catch (error) {
    for (const t of losses) t.dispose();
    throw error;
  }
  let total = 0;
  for (const loss of await readLosses(losses)) total += loss;
  return total / batches;
}
