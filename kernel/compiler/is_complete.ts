/**
 * is_complete for TypeScript: a cell is "incomplete" when the parser only
 * complains at the very end (an open brace, string, template or call),
 * "invalid" when it complains earlier, else "complete".
 */
import ts from "typescript";
import type { IsCompleteStatus } from "./requests";

export function isComplete(code: string): IsCompleteStatus {
  if (code.trim() === "") return { status: "complete" };
  const file = ts.createSourceFile("cell.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const diagnostics = (file as unknown as { parseDiagnostics: ts.Diagnostic[] }).parseDiagnostics ?? [];
  if (diagnostics.length === 0) return { status: "complete" };
  const end = code.trimEnd().length;
  const atEnd = diagnostics.every((d) => (d.start ?? 0) >= end || isUnterminated(d));
  if (!atEnd) return { status: "invalid" };
  const lastLine = code.slice(code.lastIndexOf("\n") + 1);
  const indent = /^\s*/.exec(lastLine)![0] + (/[{([]\s*$/.test(code.trimEnd()) ? "  " : "");
  return { status: "incomplete", indent };
}

const UNTERMINATED = new Set([1002 /* Unterminated string literal */, 1010 /* '* /' expected */, 1160 /* Unterminated template literal */, 1161 /* Unterminated regular expression literal */]);
function isUnterminated(d: ts.Diagnostic): boolean {
  return UNTERMINATED.has(d.code);
}
