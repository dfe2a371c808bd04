/** Type errors of a cell as a Jupyter error (ename "TSError"), in the style of tsc. */
import type { CellDiagnostic } from "../compiler/requests";
import type { ErrorContent } from "./messages";

const RED = "\u001b[0;31m";
const CYAN = "\u001b[0;36m";
const GREY = "\u001b[0;90m";
const RESET = "\u001b[0m";

export function typeErrorContent(code: string, diagnostics: CellDiagnostic[]): ErrorContent {
  const errors = diagnostics.filter((d) => d.category === "error");
  const lines = code.split("\n");
  const first = errors[0]!;
  const where = (d: CellDiagnostic) => `line ${d.line + 1}, column ${d.column + 1}`;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
  const traceback: string[] = [];
  for (const d of errors) {
    traceback.push(`${CYAN}${where(d)}${RESET} - ${RED}error${RESET} ${GREY}TS${d.code}:${RESET} ${d.message}`);
    const source = lines[d.line];
    if (source !== undefined) {
      traceback.push(`  ${source}`);
      traceback.push(`  ${" ".repeat(d.column)}${RED}${"~".repeat(Math.max(1, Math.min(d.length, source.length - d.column)))}${RESET}`);
    }
  }
  traceback.push(`${GREY}The cell did not run. To run it despite type errors, start it with: // @ts-nocheck${RESET}`);
  return { ename: "TSError", evalue: `TS${first.code}: ${first.message} (${where(first)})${more}`, traceback };
}
