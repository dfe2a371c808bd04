/** Errors a user of `gpt` can act on: bad token ids, sequences too long, bad options. */
export class GptInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GptInputError";
  }
}

/** Throws naming the first id that is not an integer in [0, vocabSize). */
export function checkTokenIds(ids: ArrayLike<number>, vocabSize: number, what: string): void {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (!Number.isInteger(id) || id < 0 || id >= vocabSize) {
      throw new GptInputError(
        `${what}: token id ${id} at position ${i} is outside the model's vocabulary (0..${vocabSize - 1}); ` +
          `encode text with gpt.tokenizer() (GPT-2 ids) or create the model with a vocabSize above ${id}`,
      );
    }
  }
}

/** Throws when a sequence is longer than the model's context. */
export function checkLength(length: number, contextLength: number, what: string): void {
  if (length === 0) throw new GptInputError(`${what}: the sequence is empty; give at least one token id`);
  if (length > contextLength) {
    throw new GptInputError(
      `${what}: ${length} tokens is longer than the model's context of ${contextLength}; ` +
        `keep the last ${contextLength} (ids.slice(-${contextLength})) or split the text into windows`,
    );
  }
}
