import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type GptConfig, GptConfigError, parseHfConfig, toHfConfig } from "../../../kernel/gpt/config.js";
import { gpt2Tokenizer } from "../../../kernel/gpt/tokenizer.js";

/** openai-community/gpt2's config.json, as published. */
const gpt2ConfigJson = {
  activation_function: "gelu_new",
  architectures: ["GPT2LMHeadModel"],
  attn_pdrop: 0.1,
  bos_token_id: 50256,
  embd_pdrop: 0.1,
  eos_token_id: 50256,
  initializer_range: 0.02,
  layer_norm_epsilon: 1e-5,
  model_type: "gpt2",
  n_ctx: 1024,
  n_embd: 768,
  n_head: 12,
  n_layer: 12,
  n_positions: 1024,
  resid_pdrop: 0.1,
  summary_activation: null,
  summary_first_dropout: 0.1,
  summary_proj_to_labels: true,
  summary_type: "cls_index",
  summary_use_proj: true,
  task_specific_params: { "text-generation": { do_sample: true, max_length: 50 } },
  vocab_size: 50257,
};

const rejects = (json: unknown, ...parts: string[]) =>
  assert.throws(() => parseHfConfig(json, "where/config.json"), (error: unknown) => {
    assert.ok(error instanceof GptConfigError);
    for (const part of ["where/config.json", ...parts]) assert.ok(error.message.includes(part), `"${error.message}" should mention ${part}`);
    return true;
  });

describe("GPT-2 config.json", () => {
  it("reads GPT-2 small's config", () => {
    assert.deepEqual(parseHfConfig(gpt2ConfigJson, "gpt2"), {
      vocabSize: 50257, contextLength: 1024, layers: 12, heads: 12, embedding: 768, dropout: 0.1, layerNormEpsilon: 1e-5, initializerRange: 0.02,
    });
  });

  it("rejects a BERT config with a clear message", () => {
    rejects({ ...gpt2ConfigJson, model_type: "bert" }, '"bert"', "only GPT-2");
    rejects({ n_embd: 8 }, "model_type is undefined");
  });

  it("rejects fields that would make a different model", () => {
    rejects({ ...gpt2ConfigJson, n_embd: 770 }, "not a multiple of heads");
    rejects({ ...gpt2ConfigJson, n_layer: 0 }, "n_layer");
    rejects({ ...gpt2ConfigJson, activation_function: "relu" }, "activation_function");
    rejects({ ...gpt2ConfigJson, n_inner: 1000 }, "n_inner");
    rejects({ ...gpt2ConfigJson, tie_word_embeddings: false }, "tie_word_embeddings");
    rejects({ ...gpt2ConfigJson, attn_pdrop: 0 }, "one dropout rate");
    rejects("text", "not a JSON object");
  });

  it("toHfConfig writes what GPT2LMHeadModel expects and reads back the same config", () => {
    const config: GptConfig = { vocabSize: 50304, contextLength: 256, layers: 4, heads: 4, embedding: 128, dropout: 0, layerNormEpsilon: 1e-5, initializerRange: 0.02 };
    const json = toHfConfig(config);
    assert.equal(json.model_type, "gpt2");
    assert.deepEqual(json.architectures, ["GPT2LMHeadModel"]);
    assert.equal(json.tie_word_embeddings, true);
    assert.equal(json.activation_function, "gelu_new");
    assert.equal(json.eos_token_id, 50256);
    assert.deepEqual(parseHfConfig(JSON.parse(JSON.stringify(json)), "round trip"), config);
    assert.deepEqual(toHfConfig(parseHfConfig(gpt2ConfigJson, "gpt2")).n_positions, 1024);
  });

  it("toHfConfig refuses an invalid config", () => {
    assert.throws(() => toHfConfig({ vocabSize: 10, contextLength: 8, layers: 1, heads: 3, embedding: 8, dropout: 0, layerNormEpsilon: 1e-5, initializerRange: 0.02 }), GptConfigError);
  });
});

describe("GPT-2 tokenizer", () => {
  const tokenizer = gpt2Tokenizer();

  it("encodes 'Hello world' as GPT-2 does", () => {
    assert.deepEqual(tokenizer.encode("Hello world"), [15496, 995]);
    assert.equal(tokenizer.decode([15496, 995]), "Hello world");
  });

  it("has GPT-2's end-of-text id and vocabulary size", () => {
    assert.equal(tokenizer.eotToken, 50256);
    assert.equal(tokenizer.vocabSize, 50257);
    assert.deepEqual(tokenizer.encode("a<|endoftext|>b"), [...tokenizer.encode("a"), 50256, ...tokenizer.encode("b")]);
  });

  it("decode(encode(s)) gives s back", () => {
    for (const text of ["", "Fellow-Citizens of the Senate and House of Representatives:", "  spaces\tand\nnewlines  ", "café naïve — 日本語 🚀", "x<|endoftext|>y", "1234567890 !@#$%^&*()"]) {
      assert.equal(tokenizer.decode(tokenizer.encode(text)), text, JSON.stringify(text));
    }
  });
});
