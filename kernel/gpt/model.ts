/**
 * `GptModel`: a GPT-2 held as tfjs variables under the Hub's weight names,
 * with logits, generation, training and saving.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type * as tfTypes from "@tensorflow/tfjs";
import { tfjs } from "../tensor/tfjs.js";
import { type GptConfig, toHfConfig } from "./config.js";
import { checkLength, checkTokenIds, GptInputError } from "./errors.js";
import { forward, lmHead } from "./forward.js";
import { type GenerateOptions, generate } from "./generate.js";
import type { Parameters } from "./params.js";
import { parametersToHost } from "./params.js";
import { writeSafetensors } from "./safetensors.js";
import { checkTokens, fit, type FitHistory, type FitOptions, type OptimizerState, validationLoss } from "./train.js";

/** A GPT-2 language model (see `gpt.create` and `gpt.load`). */
export class GptModel {
  private disposed = false;
  private readonly optimizer: OptimizerState = { step: 0, m: new Map(), v: new Map() };

  /** @internal Use gpt.create() or gpt.load(). */
  constructor(
    /** The model's hyperparameters. */
    readonly config: GptConfig,
    private readonly params: Parameters,
  ) {}

  /** The parameters by Hugging Face name (`wte.weight`, `h.0.attn.c_attn.weight`, ...). Owned by the model. */
  get parameters(): ReadonlyMap<string, tfTypes.Variable> {
    this.checkUsable();
    return this.params;
  }

  /** Number of parameters (the tied LM head counted once). */
  get parameterCount(): number {
    let total = 0;
    for (const p of this.params.values()) total += p.size;
    return total;
  }

  /**
   * Next-token logits for every position (no dropout).
   * @param ids token ids, number[][] or an int32 Tensor2D [batch, seq]; seq <= contextLength.
   * @returns float32 Tensor3D [batch, seq, vocabSize]; the caller disposes it.
   */
  logits(ids: number[][] | tfTypes.Tensor2D): tfTypes.Tensor3D {
    this.checkUsable();
    const tf = tfjs();
    let input: tfTypes.Tensor2D;
    if (Array.isArray(ids)) {
      if (ids.length === 0 || !ids.every((row) => Array.isArray(row) && row.length === ids[0]!.length)) {
        throw new GptInputError("logits: ids must be a non-empty number[][] whose rows have the same length (pad or split them)");
      }
      ids.forEach((row, i) => {
        checkLength(row.length, this.config.contextLength, `logits: row ${i}`);
        checkTokenIds(row, this.config.vocabSize, `logits: row ${i}`);
      });
      input = tf.tensor2d(ids, [ids.length, ids[0]!.length], "int32");
    } else {
      if (!(ids instanceof tf.Tensor) || ids.rank !== 2 || ids.dtype !== "int32") throw new GptInputError("logits: ids must be number[][] or an int32 tf.Tensor2D [batch, seq]");
      checkLength(ids.shape[1], this.config.contextLength, "logits");
      input = ids;
    }
    const [batch, time] = input.shape;
    try {
      return tf.tidy(() => {
        const { hidden } = forward(this.config, this.params, input);
        return lmHead(this.params, hidden.reshape([batch * time, this.config.embedding])).reshape([batch, time, this.config.vocabSize]);
      });
    } finally {
      if (input !== ids) input.dispose();
    }
  }

  /**
   * Continues `prompt` (token ids) by up to `maxNewTokens` tokens with a
   * key/value cache; returns only the new ids. Seeded: the same seed gives
   * the same tokens. Temperature 0 is greedy.
   */
  generate(prompt: number[], options: GenerateOptions = {}): Promise<number[]> {
    this.checkUsable();
    return generate(this.config, this.params, prompt, options);
  }

  /**
   * Trains on `tokens` (one long array of ids) with AdamW, warmup + cosine
   * schedule, gradient clipping and dropout; reports to tfjs-layers style
   * callbacks such as `trainingChart()`. The optimizer state persists across calls.
   */
  fit(tokens: ArrayLike<number>, options: FitOptions = {}): Promise<FitHistory> {
    this.checkUsable();
    return fit(this.config, this.params, this.optimizer, tokens, options);
  }

  /**
   * Mean next-token loss (nats per token, no dropout) over `batches` windows of
   * `contextLength + 1` tokens drawn with a fixed seed: the same windows every
   * call, so losses before and after training compare.
   */
  async evaluate(tokens: ArrayLike<number>, options: { batchSize?: number; contextLength?: number; batches?: number } = {}): Promise<number> {
    this.checkUsable();
    const time = options.contextLength ?? this.config.contextLength;
    if (time > this.config.contextLength || time < 1) throw new GptInputError(`evaluate: contextLength ${time} must be between 1 and the model's context ${this.config.contextLength}`);
    checkTokens(tokens, time, this.config, "evaluate: the tokens");
    return validationLoss(this.config, this.params, tokens, options.batchSize ?? 8, time, options.batches ?? 4);
  }

  /** Writes `config.json` and `model.safetensors` (Hub layout; transformers' GPT2LMHeadModel loads it). */
  async save(folder: string): Promise<void> {
    this.checkUsable();
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(path.join(folder, "config.json"), `${JSON.stringify(toHfConfig(this.config), null, 2)}\n`);
    writeSafetensors(path.join(folder, "model.safetensors"), await parametersToHost(this.params), { format: "pt" });
  }

  /** Frees the parameters and optimizer state. Idempotent. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const map of [this.params, this.optimizer.m, this.optimizer.v]) {
      for (const variable of map.values()) variable.dispose();
      map.clear();
    }
  }

  private checkUsable(): void {
    if (this.disposed) throw new GptInputError("this GPT model was disposed; load or create it again");
  }
}
