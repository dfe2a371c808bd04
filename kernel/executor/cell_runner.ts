/**
 * Runs prepared cells in the execution process's main realm, so values are
 * ordinary objects of this process (no cross-realm `instanceof` surprises).
 *
 * Interrupts: the host sends SIGINT and an `interrupt` message naming the run.
 * While the cell's synchronous part runs inside
 * `runInThisContext({ breakOnSigint: true })`, V8 stops it on the signal (an
 * endless `while (true) {}` too) and every global it set survives. Once the
 * cell awaits, the message (or a signal after it) rejects the cell's promise.
 *
 * Memory: a cell is compiled with `vm.compileFunction`, not `new vm.Script`.
 * V8 keeps every `vm.Script` source it compiled in its isolate-wide
 * compilation cache (keyed by source text, never aged out for scripts that ran
 * once), so 10,000 distinct cells kept 10,000 scripts with their bytecode and
 * function infos: about 1.5 KiB of heap and 6 KiB of RSS per cell.
 * `compileFunction` does not use that cache, so a cell's script dies with its
 * last function. To keep `breakOnSigint`, which only `Script#runInThisContext`
 * offers, one fixed script (compiled once) calls the cell's function.
 */
import path from "node:path";
import vm from "node:vm";
import { pathToFileURL } from "node:url";
import { isDisplayHandle, mimeBundleOf, settleDisplays, toMimeBundle, type MimeBundle } from "../runtime/display";
import { CELL_ARGUMENTS_KEY, wrapCellScript } from "../compiler/cell_script";
import { describeThrown } from "./hooks";
import { defaultExport, namedExport, namespace, type ModuleLoader } from "./module_loader";
import { CellSources } from "./cell_sources";
import { describeError } from "./stack_trace";
import type { ErrorInfo, RunRequest, UserExpressionResult } from "./child_protocol";

export class InterruptedError extends Error {
  override name = "Interrupted";
  constructor() {
    super("the cell was interrupted (its variables set so far are kept)");
  }
}

export type CellOutcome =
  | { status: "ok"; data?: MimeBundle; userExpressions: Record<string, UserExpressionResult> }
  | { status: "error"; error: ErrorInfo; interrupted: boolean; userExpressions: Record<string, UserExpressionResult> };

/** Global key of the compiled cell function that {@link CELL_CALL} calls. */
const CELL_FUNCTION_KEY = Symbol.for("tsgpu.cellFunction");

/**
 * Calls the current cell's compiled function inside `runInThisContext`, so
 * `breakOnSigint` can stop its synchronous part. Its file name is in the
 * kernel's folder, so its frame is left out of tracebacks and the debugger's stack.
 */
const CELL_CALL = new vm.Script(`globalThis[Symbol.for("tsgpu.cellFunction")]()`, { filename: path.join(__dirname, "cell_call.js") });

/** The run request of {@link CellRunner.warmUp}: an id and a cell number no real run has. */
const WARM_UP_REQUEST: RunRequest = { type: "run", id: -1, cellNumber: 0, code: "0", body: "", sourceMap: "", returnsValue: true, declaredNames: [], userExpressions: {}, allowStdin: false };

export class CellRunner {
  readonly sources = new CellSources();
  private readonly moduleObject = { exports: {} as unknown };
  private interruptCurrent: ((error: Error) => void) | undefined;
  /** The run in progress (between its start and its result). */
  private currentRunId: number | undefined;
  /**
   * Runs the kernel asked to interrupt (by id, over IPC, alongside its SIGINT):
   * a run still queued is stopped at its start, and a stray SIGINT can never
   * interrupt a run nobody asked to stop.
   */
  private readonly interruptRequested = new Set<number>();
  private readonly runtime: Record<string, unknown>;

  constructor(private readonly loader: ModuleLoader) {
    this.runtime = {
      importModule: (specifier: string) => loader.importModule(specifier),
      defaultExport,
      namespace,
      namedExport,
      noteLocalBuiltins: (names: string[]) => {
        const list = names.map((name) => `\`${name}\``).join(", ");
        process.stderr.write(`tsgpu: ${list} ${names.length > 1 ? "are" : "is a"} Node.js global${names.length > 1 ? "s" : ""}: this cell's declaration stays local to the cell; other cells keep Node's.\n`);
      },
    };
    // A SIGINT outside runInThisContext (the cell is awaiting): act only for a run the kernel asked to stop.
    process.on("SIGINT", () => this.interruptIfRequested());
  }

  /** The kernel asks to interrupt run `id` (it also sends SIGINT, which stops a synchronous loop). */
  requestInterrupt(id: number): void {
    this.interruptRequested.add(id);
    this.interruptIfRequested();
  }

  private interruptIfRequested(): void {
    if (this.currentRunId !== undefined && this.interruptRequested.has(this.currentRunId)) this.interruptCurrent?.(new InterruptedError());
  }

  async run(request: RunRequest): Promise<CellOutcome> {
    this.sources.add({ cellNumber: request.cellNumber, code: request.code, sourceMap: request.sourceMap, bodyLines: request.body.split("\n").length, declaredNames: request.declaredNames });
    let outcome: CellOutcome;
    try {
      const value = await this.evaluate(request);
      const data = request.returnsValue && value !== undefined && !isDisplayHandle(value) ? await mimeBundleOf(value) : undefined;
      outcome = { status: "ok", data, userExpressions: {} };
    } catch (thrown) {
      const interrupted = thrown instanceof InterruptedError || (thrown as NodeJS.ErrnoException)?.code === "ERR_SCRIPT_EXECUTION_INTERRUPTED";
      const error = describeError(interrupted ? new InterruptedError() : describeThrown(thrown), this.sources);
      outcome = { status: "error", error, interrupted, userExpressions: {} };
    }
    await settleDisplays(); // displays of values read asynchronously (GPU tensors) belong to this cell
    outcome.userExpressions = this.userExpressions(request.userExpressions);
    this.interruptRequested.delete(request.id);
    return outcome;
  }

  /**
   * Runs a no-op cell body (prepared by the host) through the path every cell
   * takes (compile, call, format the value) and forgets it: no source kept,
   * nothing sent. The host asks for this when the child starts, so that V8 has
   * compiled that path before the user's first cell (it made the first cell
   * about 4 ms slower than the next).
   */
  async warmUp(body: string): Promise<void> {
    const value = await this.evaluate({ ...WARM_UP_REQUEST, body });
    await mimeBundleOf(value);
  }

  private async evaluate(request: RunRequest): Promise<unknown> {
    const filename = `cell[${request.cellNumber}]`;
    // `return ` keeps the script's lines as they were: line 1 of the body is line 2, hence lineOffset -1.
    const cellFunction = vm.compileFunction(`return ${wrapCellScript(request.body)}`, [], {
      filename,
      lineOffset: -1,
      importModuleDynamically: ((specifier: string) => this.dynamicImport(specifier)) as never,
    });
    const directory = this.loader.directory;
    const globals = globalThis as Record<symbol, unknown>;
    globals[CELL_ARGUMENTS_KEY] = [this.runtime, this.loader.require, this.moduleObject, this.moduleObject.exports, path.join(directory, filename), directory];
    globals[CELL_FUNCTION_KEY] = cellFunction;
    const interrupted = new Promise<never>((_, reject) => (this.interruptCurrent = reject));
    interrupted.catch(() => {});
    this.currentRunId = request.id;
    try {
      if (this.interruptRequested.has(request.id)) throw new InterruptedError(); // asked before it started
      const completion = CELL_CALL.runInThisContext({ breakOnSigint: true }) as Promise<{ value: unknown } | undefined>;
      const result = await Promise.race([completion, interrupted]);
      return result?.value;
    } finally {
      this.interruptCurrent = undefined;
      this.currentRunId = undefined;
      delete globals[CELL_ARGUMENTS_KEY];
      delete globals[CELL_FUNCTION_KEY];
    }
  }

  /** `import("x")` inside a cell: resolved from the notebook folder like static imports. */
  private async dynamicImport(specifier: string): Promise<unknown> {
    try {
      return await import(specifier.startsWith("node:") ? specifier : pathToFileURL(this.loader.require.resolve(specifier)).href);
    } catch {
      const loaded = await this.loader.importModule(specifier);
      return loaded.kind === "esm" ? loaded.namespace : namespace(loaded);
    }
  }

  private userExpressions(expressions: Record<string, string>): Record<string, UserExpressionResult> {
    const results: Record<string, UserExpressionResult> = {};
    for (const [name, expression] of Object.entries(expressions ?? {})) {
      try {
        // As an expression in a function of its own: not through V8's compilation cache (see the top of this file).
        const evaluateExpression = vm.compileFunction(`return (${expression}\n);`, [], { filename: `user_expressions[${name}]` });
        const value: unknown = evaluateExpression();
        results[name] = { status: "ok", data: toMimeBundle(value), metadata: {} };
      } catch (thrown) {
        results[name] = { status: "error", ...describeError(thrown, this.sources) };
      }
    }
    return results;
  }
}
