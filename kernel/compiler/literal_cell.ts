/**
 * Cells whose type check cannot fail: one arithmetic expression over decimal
 * number literals (`17 * 2 + 5`, `(1.5 - 2) / 3e2`). They are prepared on the
 * kernel's main thread without asking the TypeScript worker, so they run even
 * while the checker is still warming up. This module must not import
 * `typescript` (it is part of the compiler's API, loaded by the main thread).
 *
 * Why skipping the check is sound for exactly this grammar:
 *
 *   cell    := ws expr ws [";" ws]
 *   expr    := term (ws binop ws term)*          binop := "+" | "-" | "*" | "/" | "%"
 *   term    := ("+" | "-") ws term | number | "(" ws expr ws ")"
 *   number  := ("0" | [1-9][0-9]*) ["." [0-9]+] [("e" | "E") ["+" | "-"] [0-9]+]
 *   ws      := (" " | "\t" | "\n" | "\r")*
 *
 * - No identifiers, so the result depends neither on the prelude (earlier
 *   cells' declarations) nor on the libraries: no name to resolve, nothing to
 *   re-declare, no import.
 * - Every operand has a number (literal) type, and TypeScript accepts `+ - * /
 *   %` and unary `+ -` on numbers under every compiler option (strictness
 *   flags concern `any`, `null`, properties and declarations, none of which
 *   can occur).
 * - The grammar leaves out what the checker (not the parser) would reject:
 *   octal and leading-zero literals (TS1121, TS1489), `**` (a unary operator
 *   before `**` is an error, and `**` needs a newer target), `++`/`--` (which a
 *   scanner reads from `+ +` written without a space: such text is refused),
 *   bigint literals (mixing them with numbers is TS2365), numeric separators,
 *   comments (`// @ts-nocheck`, `/// <reference>` change checking).
 *   A number too large to be exact is only a suggestion (TS80008), never a
 *   cell diagnostic.
 * - So checking such a cell always yields no diagnostics, its TypeScript is
 *   already JavaScript (no types to erase), and running it cannot throw.
 *
 * Everything else (any identifier, call, string...) goes through the checker.
 */
import type { PreparedCell } from "./requests";

/** Longest cell considered (the scan is linear, but long cells are not "trivial"). */
const MAX_LENGTH = 2000;

const NUMBER = /(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y;
const WHITESPACE = /[ \t\n\r]*/y;

class Scanner {
  position = 0;
  constructor(readonly text: string) {}

  skipWhitespace(): void {
    WHITESPACE.lastIndex = this.position;
    WHITESPACE.exec(this.text);
    this.position = WHITESPACE.lastIndex;
  }

  peek(): string {
    return this.text[this.position] ?? "";
  }

  /** term := ("+" | "-") term | number | "(" expr ")" */
  term(depth: number): boolean {
    if (depth > 100) return false;
    this.skipWhitespace();
    const c = this.peek();
    if (c === "+" || c === "-") {
      this.position++;
      return this.term(depth + 1);
    }
    if (c === "(") {
      this.position++;
      if (!this.expression(depth + 1)) return false;
      this.skipWhitespace();
      if (this.peek() !== ")") return false;
      this.position++;
      return true;
    }
    NUMBER.lastIndex = this.position;
    if (!NUMBER.exec(this.text)) return false;
    this.position = NUMBER.lastIndex;
    // `1.`, `1e`, `1_0`, `1n`, `0x1`, `1a`: the literal must end here.
    return !/[0-9A-Za-z_$.]/.test(this.peek());
  }

  /** expr := term (binop term)* */
  expression(depth: number): boolean {
    if (!this.term(depth)) return false;
    for (;;) {
      this.skipWhitespace();
      const c = this.peek();
      if (c !== "+" && c !== "-" && c !== "*" && c !== "/" && c !== "%") return true;
      this.position++;
      if (!this.term(depth)) return false;
    }
  }
}

/**
 * The span of the expression when `code` is a cell of the grammar above,
 * otherwise undefined.
 */
export function literalExpressionSpan(code: string): { start: number; end: number } | undefined {
  if (code.length === 0 || code.length > MAX_LENGTH) return undefined;
  // `++`/`--` are increment/decrement tokens; `*/`, `//`, `/*` would be comments or regexps.
  if (/\+\+|--|\/\/|\/\*|\*\*|\*\//.test(code)) return undefined;
  const scanner = new Scanner(code);
  scanner.skipWhitespace();
  const start = scanner.position;
  if (!scanner.expression(0)) return undefined;
  let end = scanner.position;
  // Trailing whitespace belongs to nobody; the expression ends at its last token.
  while (end > start && /[ \t\n\r]/.test(code[end - 1]!)) end--;
  scanner.skipWhitespace();
  if (scanner.peek() === ";") {
    scanner.position++;
    scanner.skipWhitespace();
  }
  return scanner.position === code.length ? { start, end } : undefined;
}

/**
 * The prepared cell for a literal arithmetic cell (what the worker's check
 * and rewrite would produce: no diagnostics, the value returned, reusable), or
 * undefined when the cell needs the checker.
 */
export function prepareLiteralCell(code: string): PreparedCell | undefined {
  const span = literalExpressionSpan(code);
  if (!span) return undefined;
  const body = `${code.slice(0, span.start)}return { value: (${code.slice(span.start, span.end)}) };${code.slice(span.end)}`;
  return { diagnostics: [], body, sourceMap: "", returnsValue: true, changesContext: false, reusable: true };
}
