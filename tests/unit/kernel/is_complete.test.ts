import assert from "node:assert/strict";
import { test } from "node:test";
import { isComplete } from "../../../kernel/compiler/is_complete";

test("a whole statement is complete", () => assert.equal(isComplete("const x = 1;").status, "complete"));
test("an open block is incomplete and indented", () => assert.deepEqual(isComplete("function f() {"), { status: "incomplete", indent: "  " }));
test("an unterminated template is incomplete", () => assert.equal(isComplete("const s = `abc").status, "incomplete"));
test("a stray closing brace is invalid", () => assert.equal(isComplete("}").status, "invalid"));
test("an error before the end is invalid", () => assert.equal(isComplete("const = 1;\nlet y = 2;").status, "invalid"));
