/** Messages between the kernel's main thread and the compiler worker. */

/** A TypeScript diagnostic in cell coordinates (0-based line and column, UTF-16 units). */
export interface CellDiagnostic {
  code: number;
  category: "error" | "warning" | "suggestion" | "message";
  message: string;
  line: number;
  column: number;
  /** Length of the highlighted span in the cell, in UTF-16 units. */
  length: number;
}

export type CompilerRequest =
  | { op: "prepare"; code: string; fileName: string }
  | { op: "complete"; code: string; offset: number }
  | { op: "inspect"; code: string; offset: number; detailLevel: number }
  | { op: "isComplete"; code: string }
  /** Forget every earlier cell (the execution process restarted). */
  | { op: "reset" };

export interface PreparedCell {
  /** Errors stop the cell; warnings are shown with it. */
  diagnostics: CellDiagnostic[];
  /** The runnable body (absent when an error stops the cell). */
  body?: string;
  sourceMap?: string;
  returnsValue?: boolean;
  /** Top-level names the cell declares or imports. */
  declaredNames?: string[];
  /** The cell declares or imports names, or references a lib: later cells are checked against a new context. */
  changesContext: boolean;
  /**
   * Running the same text again needs no new check while the context is
   * unchanged (no declarations, no imports, no diagnostics): the kernel may
   * reuse this result until a cell changes the context.
   */
  reusable: boolean;
}

export interface CompletionItem {
  name: string;
  kind: string;
  /** Signature or type, for the first few entries. */
  signature?: string;
}

export interface Completions {
  items: CompletionItem[];
  /** UTF-16 offsets in the cell of the text the completion replaces. */
  start: number;
  end: number;
}

export interface Inspection {
  found: boolean;
  signature?: string;
  documentation?: string;
  tags?: string[];
}

export type IsCompleteStatus = { status: "complete" | "invalid" | "unknown" } | { status: "incomplete"; indent: string };

export interface CompilerResponses {
  prepare: PreparedCell;
  complete: Completions;
  inspect: Inspection;
  isComplete: IsCompleteStatus;
  reset: null;
}

export type CompilerReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string; stack?: string } };
