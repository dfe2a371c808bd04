/**
 * GPT-2 hyperparameters and their Hugging Face `config.json` form
 * (transformers' `GPT2Config`). Only configurations that tsgpu's GPT computes
 * exactly like `GPT2LMHeadModel` are accepted; anything else is refused with
 * the field to change, rather than loaded into a model that would differ.
 */

/** Hyperparameters of a GPT-2-style decoder. */
export interface GptConfig {
  vocabSize: number;
  /** Longest sequence (learned position embeddings). */
  contextLength: number;
  layers: number;
  heads: number;
  /** Width of the residual stream; a multiple of `heads`. */
  embedding: number;
  /** One rate for embedding, attention and residual dropout. */
  dropout: number;
  layerNormEpsilon: number;
  /** Standard deviation of the normal initialization. */
  initializerRange: number;
}

/** A config.json that tsgpu cannot use, naming the field. */
export class GptConfigError extends Error {
  override name = "GptConfigError";
}

/** GPT-2's tanh-approximated GELU goes by these names in transformers. */
const TANH_GELU = new Set(["gelu_new", "gelu_pytorch_tanh"]);

/** Checks a config; throws GptConfigError naming the field. */
export function validateGptConfig(config: GptConfig, where: string): GptConfig {
  const fail = (what: string) => new GptConfigError(`${where}: ${what}`);
  for (const key of ["vocabSize", "contextLength", "layers", "heads", "embedding"] as const) {
    if (!Number.isSafeInteger(config[key]) || config[key] <= 0) throw fail(`${key} must be a positive integer, got ${config[key]}`);
  }
  if (config.embedding % config.heads !== 0) throw fail(`embedding ${config.embedding} is not a multiple of heads ${config.heads}`);
  if (!(config.dropout >= 0 && config.dropout < 1)) throw fail(`dropout must be in [0, 1), got ${config.dropout}`);
  if (!(config.layerNormEpsilon > 0)) throw fail(`layerNormEpsilon must be positive, got ${config.layerNormEpsilon}`);
  if (!(config.initializerRange > 0)) throw fail(`initializerRange must be positive, got ${config.initializerRange}`);
  return config;
}

/**
 * Reads GPT-2's config.json (`n_embd`, `n_head`, `n_layer`, `n_positions`,
 * `vocab_size`, `layer_norm_epsilon`, `resid_pdrop`/`embd_pdrop`/`attn_pdrop`,
 * `initializer_range`, `activation_function`). `where` (a file or Hub id)
 * goes into error messages.
 */
export function parseHfConfig(json: unknown, where: string): GptConfig {
  if (json === null || typeof json !== "object" || Array.isArray(json)) throw new GptConfigError(`${where}: config.json is not a JSON object`);
  const c = json as Record<string, unknown>;
  const fail = (what: string) => new GptConfigError(`${where}: ${what}`);
  if (c.model_type !== "gpt2") {
    throw fail(`model_type is ${JSON.stringify(c.model_type)}, but tsgpu's GPT loads only GPT-2 checkpoints (model_type "gpt2", e.g. openai-community/gpt2 or distilgpt2)`);
  }
  const integer = (key: string, fallback?: unknown): number => {
    const value = c[key] ?? fallback;
    if (!Number.isSafeInteger(value) || (value as number) <= 0) throw fail(`${key} must be a positive integer, got ${JSON.stringify(value)}`);
    return value as number;
  };
  const number = (key: string, fallback: number): number => {
    const value = c[key] ?? fallback;
    if (typeof value !== "number" || !Number.isFinite(value)) throw fail(`${key} must be a number, got ${JSON.stringify(value)}`);
    return value;
  };
  const activation = c.activation_function ?? "gelu_new";
  if (typeof activation !== "string" || !TANH_GELU.has(activation)) {
    throw fail(`activation_function ${JSON.stringify(activation)} is not supported (tsgpu's GPT uses GPT-2's "gelu_new")`);
  }
  const embedding = integer("n_embd");
  if (c.n_inner !== undefined && c.n_inner !== null && c.n_inner !== 4 * embedding) {
    throw fail(`n_inner ${JSON.stringify(c.n_inner)} is not supported (tsgpu's GPT uses 4 * n_embd = ${4 * embedding})`);
  }
  if (c.tie_word_embeddings === false) throw fail("tie_word_embeddings false is not supported (tsgpu's GPT shares the token embedding with the output layer)");
  if (c.scale_attn_weights === false) throw fail("scale_attn_weights false is not supported");
  if (c.scale_attn_by_inverse_layer_idx === true) throw fail("scale_attn_by_inverse_layer_idx true is not supported");
  const dropouts = ["resid_pdrop", "embd_pdrop", "attn_pdrop"].map((key) => number(key, 0.1));
  if (new Set(dropouts).size > 1) throw fail(`resid_pdrop, embd_pdrop and attn_pdrop differ (${dropouts.join(", ")}); tsgpu's GPT uses one dropout rate: set them equal`);
  return validateGptConfig(
    {
      vocabSize: integer("vocab_size"),
      contextLength: integer("n_positions", c.n_ctx),
      layers: integer("n_layer"),
      heads: integer("n_head"),
      embedding,
      dropout: dropouts[0]!,
      layerNormEpsilon: number("layer_norm_epsilon", 1e-5),
      initializerRange: number("initializer_range", 0.02),
    },
    where,
  );
}

/**
 * A config.json that transformers' `GPT2LMHeadModel.from_pretrained` reads
 * (keys as in the one published with openai-community/gpt2).
 */
export function toHfConfig(config: GptConfig): Record<string, unknown> {
  validateGptConfig(config, "toHfConfig");
  const endOfText = Math.min(50256, config.vocabSize - 1);
  return {
    activation_function: "gelu_new",
    architectures: ["GPT2LMHeadModel"],
    attn_pdrop: config.dropout,
    bos_token_id: endOfText,
    embd_pdrop: config.dropout,
    eos_token_id: endOfText,
    initializer_range: config.initializerRange,
    layer_norm_epsilon: config.layerNormEpsilon,
    model_type: "gpt2",
    n_ctx: config.contextLength,
    n_embd: config.embedding,
    n_head: config.heads,
    n_inner: null,
    n_layer: config.layers,
    n_positions: config.contextLength,
    reorder_and_upcast_attn: false,
    resid_pdrop: config.dropout,
    scale_attn_by_inverse_layer_idx: false,
    scale_attn_weights: true,
    summary_activation: null,
    summary_first_dropout: config.dropout,
    summary_proj_to_labels: true,
    summary_type: "cls_index",
    summary_use_proj: true,
    tie_word_embeddings: true,
    torch_dtype: "float32",
    use_cache: true,
    vocab_size: config.vocabSize,
  };
}
