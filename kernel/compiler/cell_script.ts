/**
 * The shape of a rewritten cell, shared by the compiler (which writes cell
 * bodies, see cell_rewrite.ts) and the execution child (which runs them).
 * This module must not import `typescript`: the execution child loads it at
 * start, and TypeScript (9 MB) stays in the compiler worker.
 */

/** Name of the runtime helper object the script receives. */
export const RUNTIME_PARAMETER = "__tsgpu";

/** Global key under which the runner puts the arguments of the cell's function. */
export const CELL_ARGUMENTS_KEY = Symbol.for("tsgpu.cellArguments");

/**
 * The cell's full script: an async function called at once with the cell's
 * arguments, taken from a Symbol.for key the runner sets (the runner compiles
 * it as the body of a function, `return <script>`, and calls that inside
 * `runInThisContext`, where `breakOnSigint` can stop the cell's synchronous
 * part; see cell_runner.ts). Line 1 of the body is line 2 of the script:
 * compile it with `lineOffset: -1`.
 */
export function wrapCellScript(body: string): string {
  return `(async function (${RUNTIME_PARAMETER}, require, module, exports, __filename, __dirname) {\n${body}\n}).apply(undefined, globalThis[Symbol.for("tsgpu.cellArguments")])`;
}
