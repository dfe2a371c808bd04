/**
 * GPT-2 hyperparameters and their Hugging Face `config.json` form
 * (minimal placeholder until the Hub half of issue 11 lands).
 */
export interface GptConfig {
  vocabSize: number;
  contextLength: number;
  layers: number;
  heads: number;
  embedding: number;
  dropout: number;
  layerNormEpsilon: number;
  initializerRange: number;
}

/** Reads a GPT-2 `config.json` object; `where` names its source in errors. */
export function parseHfConfig(json: unknown, where: string): GptConfig {
  const c = json as Record<string, unknown>;
  const int = (key: string, fallback?: string): number => {
    const value = c[key] ?? (fallback ? c[fallback] : undefined);
    if (typeof value !== "number" || !Number.isInteger(value) || value <= 0) throw new Error(`${where}: ${key} must be a positive integer, got ${JSON.stringify(value)}`);
    return value;
  };
  if (c["model_type"] !== undefined && c["model_type"] !== "gpt2") throw new Error(`${where}: model_type is ${JSON.stringify(c["model_type"])}, only gpt2 is supported`);
  return {
    vocabSize: int("vocab_size"),
    contextLength: int("n_positions", "n_ctx"),
    layers: int("n_layer"),
    heads: int("n_head"),
    embedding: int("n_embd"),
    dropout: typeof c["resid_pdrop"] === "number" ? c["resid_pdrop"] : 0.1,
    layerNormEpsilon: typeof c["layer_norm_epsilon"] === "number" ? c["layer_norm_epsilon"] : 1e-5,
    initializerRange: typeof c["initializer_range"] === "number" ? c["initializer_range"] : 0.02,
  };
}

/** The `config.json` object transformers' GPT2LMHeadModel reads. */
export function toHfConfig(config: GptConfig): Record<string, unknown> {
  const eos = Math.min(50256, config.vocabSize - 1);
  return {
    architectures: ["GPT2LMHeadModel"],
    model_type: "gpt2",
    vocab_size: config.vocabSize,
    n_positions: config.contextLength,
    n_ctx: config.contextLength,
    n_layer: config.layers,
    n_head: config.heads,
    n_embd: config.embedding,
    n_inner: null,
    activation_function: "gelu_new",
    resid_pdrop: config.dropout,
    embd_pdrop: config.dropout,
    attn_pdrop: config.dropout,
    layer_norm_epsilon: config.layerNormEpsilon,
    initializer_range: config.initializerRange,
    bos_token_id: eos,
    eos_token_id: eos,
    scale_attn_weights: true,
    tie_word_embeddings: true,
    use_cache: true,
  };
}
