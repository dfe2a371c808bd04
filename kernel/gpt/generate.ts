/**
 * Text generation: one forward over the prompt fills a key/value cache, then
 * each new token costs one position. Sampling is on the host with a seeded
 * generator (temperature, top-k; temperature 0 is greedy). Past the context,
 * the window slides: the last `contextLength` tokens are recomputed each step.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { tfjs } from "../tensor/tfjs.js";
import type { GptConfig } from "./config.js";
import { checkLength, checkTokenIds, GptInputError } from "./errors.js";
import { forward, lmHead } from "./forward.js";
import type { AttentionCache } from "./ops.js";
import type { Parameters } from "./params.js";
import { randomSeed, SeededRandom } from "./random.js";

/** Options of {@link GptModel.generate}. */
export interface GenerateOptions {
  /** How many tokens to add. Default 50. */
  maxNewTokens?: number;
  /** Softmax temperature; 0 picks the most likely token (greedy). Default 1. */
  temperature?: number;
  /** Sample only among the k most likely tokens. Default: all. */
  topK?: number;
  /** Seed of the sampler: the same seed, prompt and model give the same tokens. Default: random. */
  seed?: number;
  /** Stop after emitting this id (for example `tokenizer.eotToken`). */
  stopToken?: number;
  /** Use the key/value cache (default true); false recomputes the whole prefix every step. */
  cache?: boolean;
}

/** The index of the token to emit from last-position logits. */
export function sampleToken(logits: Float32Array, temperature: number, topK: number | undefined, random: SeededRandom): number {
  if (temperature <= 0) {
    let best = 0;
    for (let i = 1; i < logits.length; i++) if (logits[i]! > logits[best]!) best = i;
    return best;
  }
  let threshold = -Infinity;
  if (topK !== undefined && topK < logits.length) threshold = Float32Array.from(logits).sort()[logits.length - topK]!;
  let max = -Infinity;
  for (const value of logits) if (value >= threshold && value > max) max = value;
  const weights = new Float64Array(logits.length);
  let total = 0;
  for (let i = 0; i < logits.length; i++) {
    if (logits[i]! >= threshold) total += weights[i] = Math.exp((logits[i]! - max) / temperature);
  }
  let r = random.next() * total;
  for (let i = 0; i < weights.length; i++) {
    r -= weights[i]!;
    if (r < 0 && weights[i]! > 0) return i;
  }
  return logits.indexOf(max);
}

/** Logits of the last position for `ids` [1, T] (and the new cache when `past` or `keepCache`). */
function lastLogits(config: GptConfig, params: Parameters, ids: number[], past: AttentionCache[] | undefined, keepCache: boolean) {
  const tf = tfjs();
  return tf.tidy(() => {
    const input = tf.tensor2d(ids, [1, ids.length], "int32");
    const { hidden, present } = forward(config, params, input, past ? { past } : {});
    const last = hidden.slice([0, ids.length - 1, 0], [1, 1, config.embedding]).reshape([1, config.embedding]);
    const result = { logits: lmHead(params, last).reshape([config.vocabSize]), present: keepCache ? present : [] };
    return result as unknown as tfTypes.TensorContainer;
  }) as unknown as { logits: tfTypes.Tensor; present: AttentionCache[] };
}

function disposeCache(cache: AttentionCache[] | undefined): void {
  for (const layer of cache ?? []) tfjs().dispose([layer.key, layer.value]);
}

/** Generates up to `maxNewTokens` ids after `prompt`; returns only the new ids. */
export async function generate(config: GptConfig, params: Parameters, prompt: number[], options: GenerateOptions = {}): Promise<number[]> {
  if (!Array.isArray(prompt)) throw new GptInputError("generate: the prompt must be an array of token ids (number[]), for example tokenizer.encode(text)");
  checkLength(prompt.length, config.contextLength, "generate: the prompt");
  checkTokenIds(prompt, config.vocabSize, "generate: the prompt");
  const maxNewTokens = options.maxNewTokens ?? 50;
  if (!Number.isInteger(maxNewTokens) || maxNewTokens < 0) throw new GptInputError(`generate: maxNewTokens must be a non-negative integer, got ${maxNewTokens}`);
  const temperature = options.temperature ?? 1;
  const random = new SeededRandom(options.seed ?? randomSeed());
  const useCache = options.cache ?? true;
  const tokens = prompt.slice();
  const generated: number[] = [];
  let cache: AttentionCache[] | undefined;
  try {
    for (let step = 0; step < maxNewTokens; step++) {
      const fits = tokens.length <= config.contextLength;
      const incremental = useCache && fits && cache !== undefined;
      const input = incremental ? tokens.slice(-1) : tokens.slice(-config.contextLength);
      const { logits, present } = lastLogits(config, params, input, incremental ? cache : undefined, useCache && fits);
      disposeCache(cache);
      cache = present.length > 0 ? present : undefined;
      let values: Float32Array;
      try {
        values = (await logits.data()) as Float32Array;
      } finally {
        logits.dispose();
      }
      const next = sampleToken(values, temperature, options.topK, random);
      tokens.push(next);
      generated.push(next);
      if (next === options.stopToken) break;
    }
  } finally {
    disposeCache(cache);
  }
  return generated;
}
