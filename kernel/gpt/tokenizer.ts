/** GPT-2's byte-pair tokenizer (placeholder until the Hub half of issue 11 lands). */
import * as r50k from "gpt-tokenizer/encoding/r50k_base";

export interface GptTokenizer {
  encode(text: string): number[];
  decode(ids: number[]): string;
  readonly eotToken: number;
  readonly vocabSize: number;
}

/** GPT-2's tokenizer (r50k_base: 50257 ids, `<|endoftext|>` = 50256), offline from npm gpt-tokenizer. */
export function gpt2Tokenizer(): GptTokenizer {
  return {
    encode: (text) => r50k.encode(text),
    decode: (ids) => r50k.decode(ids),
    eotToken: 50256,
    vocabSize: 50257,
  };
}
