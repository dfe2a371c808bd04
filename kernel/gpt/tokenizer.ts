/**
 * The GPT-2 byte-pair encoding (r50k_base, 50,257 ids) from npm
 * `gpt-tokenizer`, whose vocabulary ships in the package (works offline).
 */
import { END_OF_TEXT_ID, GPT2_VOCABULARY_SIZE, gpt2Decode, gpt2Encode } from "../tensor/data/text.js";

/** Text <-> token ids. */
export interface GptTokenizer {
  /** Token ids of a text; `<|endoftext|>` in the text becomes {@link eotToken}. */
  encode(text: string): number[];
  /** The text of token ids. */
  decode(ids: number[]): string;
  /** Id of `<|endoftext|>`, the separator between documents. */
  readonly eotToken: number;
  readonly vocabSize: number;
}

/** GPT-2's tokenizer: "Hello world" -> [15496, 995], eotToken 50256, vocabSize 50257. */
export function gpt2Tokenizer(): GptTokenizer {
  return {
    encode: (text) => gpt2Encode(text),
    decode: (ids) => gpt2Decode(ids),
    eotToken: END_OF_TEXT_ID,
    vocabSize: GPT2_VOCABULARY_SIZE,
  };
}
