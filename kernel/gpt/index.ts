/**
 * `gpt`: GPT-2 in TensorFlow.js. Load Hugging Face checkpoints, create fresh
 * models, generate, fine-tune, save in the Hub's layout.
 *
 *   import { gpt } from "tsgpu";
 *   const model = await gpt.load("openai-community/gpt2");
 *   const tok = gpt.tokenizer();
 *   const ids = await model.generate(tok.encode("Hello"), { maxNewTokens: 20, temperature: 0 });
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { type GptConfig, parseHfConfig } from "./config.js";
import { GptInputError } from "./errors.js";
import { type HubOptions, resolveModelFolder } from "./hub.js";
import { GptModel } from "./model.js";
import { initialParameters, isIgnoredCheckpointName, parametersFromCheckpoint } from "./params.js";
import { randomSeed } from "./random.js";
import { readCheckpoint } from "./safetensors.js";
import { type GptTokenizer, gpt2Tokenizer } from "./tokenizer.js";

export { GptModel } from "./model.js";
export { GptInputError } from "./errors.js";
export type { GptConfig } from "./config.js";
export type { GptTokenizer } from "./tokenizer.js";
export type { HubOptions } from "./hub.js";
export type { GenerateOptions } from "./generate.js";
export type { FitCallback, FitHistory, FitOptions } from "./train.js";
export * as ops from "./ops.js";

/** Options of {@link create}: any GptConfig field (GPT-2 small's by default) and a seed. */
export interface CreateOptions extends Partial<GptConfig> {
  /** Seed of the initialisation. Default: random. */
  seed?: number;
}

/**
 * A freshly initialised GPT-2: normal(0, initializerRange) weights, residual
 * projections scaled by 1/sqrt(2 layers), LayerNorm 1/0, biases 0.
 */
export function create(options: CreateOptions = {}): GptModel {
  const config: GptConfig = {
    vocabSize: options.vocabSize ?? 50257,
    contextLength: options.contextLength ?? 1024,
    layers: options.layers ?? 12,
    heads: options.heads ?? 12,
    embedding: options.embedding ?? 768,
    dropout: options.dropout ?? 0.1,
    layerNormEpsilon: options.layerNormEpsilon ?? 1e-5,
    initializerRange: options.initializerRange ?? 0.02,
  };
  for (const key of ["vocabSize", "contextLength", "layers", "heads", "embedding"] as const) {
    if (!Number.isInteger(config[key]) || config[key] < 1) throw new GptInputError(`gpt.create: ${key} must be a positive integer, got ${config[key]}`);
  }
  if (config.embedding % config.heads !== 0) throw new GptInputError(`gpt.create: embedding ${config.embedding} must be a multiple of heads ${config.heads}`);
  if (!(config.dropout >= 0 && config.dropout < 1)) throw new GptInputError(`gpt.create: dropout must be in [0, 1), got ${config.dropout}`);
  return new GptModel(config, initialParameters(config, options.seed ?? randomSeed()));
}

/**
 * Loads a GPT-2 checkpoint: a Hugging Face Hub id ("openai-community/gpt2",
 * downloaded once into the Hub cache) or a local folder with `config.json`
 * and `model.safetensors`. `transformer.`-prefixed names, the attention
 * mask buffers and the tied `lm_head.weight` are accepted.
 */
export async function load(idOrFolder: string, options: HubOptions = {}): Promise<GptModel> {
  const folder = await resolveModelFolder(idOrFolder, ["config.json", "model.safetensors"], options);
  const configFile = path.join(folder, "config.json");
  if (!fs.existsSync(configFile)) throw new GptInputError(`gpt.load: ${folder} has no config.json (a folder in the Hub's layout needs config.json and model.safetensors)`);
  const config = parseHfConfig(JSON.parse(fs.readFileSync(configFile, "utf8")), configFile);
  const tensors = readCheckpoint(folder, { skip: isIgnoredCheckpointName });
  return new GptModel(config, parametersFromCheckpoint(config, tensors, folder));
}

/** GPT-2's tokenizer (50257 ids; `eotToken` is `<|endoftext|>`), offline. */
export function tokenizer(): GptTokenizer {
  return gpt2Tokenizer();
}
