import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { CorpusError, END_OF_TEXT_ID, gpt2Decode, gpt2Encode, loadSotuText } from "../../../kernel/tensor/data/index.js";

describe("text corpus and GPT-2 tokenizer", () => {
  it("loads the State of the Union addresses oldest first", () => {
    const text = loadSotuText();
    assert.ok(text.length > 10_000_000);
    assert.match(text.slice(0, 200), /Fellow-Citizens/);
    const one = loadSotuText({ fromYear: 1790, toYear: 1790 });
    assert.ok(one.length > 1000 && one.length < 20_000);
  });

  it("rejects a year range without addresses", () => {
    assert.throws(() => loadSotuText({ fromYear: 1700, toYear: 1701 }), CorpusError);
  });

  it("encodes with GPT-2's ids and decodes back", () => {
    assert.deepEqual(gpt2Encode("Hello world"), [15496, 995]);
    assert.deepEqual(gpt2Encode("Hello world<|endoftext|>"), [15496, 995, END_OF_TEXT_ID]);
    const text = loadSotuText({ fromYear: 1790, toYear: 1790 }).slice(0, 2000);
    assert.equal(gpt2Decode(gpt2Encode(text)), text);
  });

  it("encodes a text of more tokens than a call can take arguments", () => {
    const ids = gpt2Encode(" hello world".repeat(150_000));
    assert.equal(ids.length, 300_000);
    assert.deepEqual(ids.slice(0, 2), [23748, 995]);
  });
});
