/**
 * The Jupyter debug protocol (debug_request / debug_reply on control,
 * debug_event on iopub) for TypeScript cells: Debug Adapter Protocol requests
 * from the front end translated to Chrome DevTools Protocol commands for the
 * execution child's V8 inspector (see executor/inspector_relay.ts), and CDP
 * events back to DAP events. Shapes follow JupyterLab 4's debugger
 * (packages/debugger/src/service.ts, session.ts) and ipykernel's debugger.py.
 *
 * Cells: the front end names a cell's source `tmpFilePrefix + murmur2(code) +
 * tmpFileSuffix` (dumpCell returns it); the child runs each cell as script
 * `cell[N]`. Breakpoints for a path go to every script run with that code, at
 * the generated line of the cell line (CellLines); stack frames map back.
 * One thread (id 1): the child's main thread, where cells run.
 * The scripts the child ran are in cell_scripts.ts; what is read while the
 * cells are stopped (stack trace, scopes, variables) in paused_frames.ts.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CellScript, Inspector, InspectorListener } from "../../executor/inspector_connection";
import { CellRecord, CellScripts, type CallFrame } from "./cell_scripts";
import type { DapEvent, DapRequest, DapResponse } from "./dap_messages";
import { murmur2 } from "./murmur2";
import { PausedFrames } from "./paused_frames";
import { valueText, type RemoteObject } from "./remote_values";

export type { DapEvent, DapRequest, DapResponse } from "./dap_messages";

interface SourceBreakpoint {
  line: number;
  condition?: string;
}

/** Same seed as ipykernel, so both kernels name identical code alike. */
export const HASH_SEED = 0xc70f6907;
const THREAD_ID = 1;
/** Bytes of collected scripts (no live function) the child's V8 debugger may still hold. */
const COLLECTED_SCRIPTS_CACHE_BYTES = 8 * 1024 * 1024;
/** V8 skips (when stepping) and does not pause on exceptions in scripts other than cells: "just my code". */
const NOT_A_CELL = "^(?!cell\\[\\d+\\]$)";

export class DebugAdapter implements InspectorListener {
  readonly tmpFilePrefix: string;
  readonly tmpFileSuffix = ".ts";
  private seq = 1;
  private started = false;
  /** Inspector generation the debugger was set up in (a fresh child needs setting up again). */
  private setUpGeneration = -1;
  private readonly breakpoints = new Map<string, SourceBreakpoint[]>();
  private readonly placed = new Map<string, string[]>();
  private readonly cells = new CellScripts();
  private readonly dumped = new Map<string, string>();
  private exceptionFilters: string[] = [];
  private readonly paused: PausedFrames;
  /** The reason the next pause gets, after a step or pause command. */
  private expectedStop: "step" | "pause" | undefined;
  /** Pauses are skipped until the next cell: an interrupt released the child. */
  private skippingPauses = false;

  /**
   * @param inspector the cells' process's inspector
   * @param emit publishes a DAP event (as a debug_event)
   * @param tmpDirectory where dumpCell writes cells (a folder of this kernel's own)
   */
  constructor(
    private readonly inspector: Inspector,
    private readonly emit: (event: DapEvent) => void,
    tmpDirectory = path.join(os.tmpdir(), `tsgpu_${process.pid}`),
  ) {
    this.tmpFilePrefix = tmpDirectory + path.sep;
    this.paused = new PausedFrames(inspector, this.cells);
    inspector.listen(this);
  }

  /** The path the front end gives a cell with this code. */
  cellPath(code: string): string {
    return `${this.tmpFilePrefix}${murmur2(code, HASH_SEED)}${this.tmpFileSuffix}`;
  }

  /** Whether the child is stopped at a breakpoint or step. */
  get isPaused(): boolean {
    return this.paused.isPaused;
  }

  /** Answers one DAP request; failures become `success: false` with the reason. */
  async handle(request: DapRequest): Promise<DapResponse> {
    const response = (success: boolean, body?: Record<string, unknown>, message?: string): DapResponse => ({
      seq: this.seq++,
      type: "response",
      request_seq: request.seq,
      success,
      command: request.command,
      ...(message !== undefined ? { message } : {}),
      ...(body !== undefined ? { body } : {}),
    });
    try {
      const body = await this.dispatch(request.command, request.arguments ?? {});
      return response(true, body);
    } catch (error) {
      return response(false, undefined, (error as Error).message);
    }
  }

  private dispatch(command: string, args: Record<string, unknown>): Promise<Record<string, unknown>> | Record<string, unknown> {
    switch (command) {
      case "initialize":
        return this.capabilities();
      case "attach":
        return this.attach();
      case "configurationDone":
        return {};
      case "debugInfo":
        return this.debugInfo();
      case "dumpCell":
        return this.dumpCell(String(args.code ?? ""));
      case "setBreakpoints":
        return this.setBreakpoints(args);
      case "setExceptionBreakpoints":
        return this.setExceptionBreakpoints((args.filters as string[] | undefined) ?? []);
      case "threads":
        return { threads: [{ id: THREAD_ID, name: "cells" }] };
      case "stackTrace":
        return this.paused.stackTrace(args);
      case "scopes":
        return this.paused.scopes(Number(args.frameId));
      case "variables":
        return this.paused.variables(Number(args.variablesReference));
      case "evaluate":
        return this.evaluate(String(args.expression ?? ""), args.frameId as number | undefined);
      case "continue":
        return this.command("Debugger.resume", undefined, { allThreadsContinued: true });
      case "next":
        return this.command("Debugger.stepOver", "step");
      case "stepIn":
        return this.command("Debugger.stepInto", "step");
      case "stepOut":
        return this.command("Debugger.stepOut", "step");
      case "pause":
        return this.command("Debugger.pause", "pause");
      case "source":
        return this.source(args);
      case "inspectVariables":
        return this.inspectVariables();
      case "richInspectVariables":
        return this.richInspectVariables(String(args.variableName ?? ""), args.frameId as number | undefined);
      case "copyToGlobals":
        return this.copyToGlobals(args);
      case "disconnect":
        return this.disconnect();
      default:
        throw new Error(`the tsgpu debugger does not support "${command}"`);
    }
  }

  // ------------------------------------------------------------ session

  private capabilities(): Record<string, unknown> {
    return {
      supportsConfigurationDoneRequest: true,
      supportsConditionalBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsSetVariable: false,
      supportsExceptionInfoRequest: false,
      exceptionBreakpointFilters: [
        { filter: "raised", label: "Raised Exceptions", default: false, description: "Stop where a cell throws, caught or not" },
        { filter: "uncaught", label: "Uncaught Exceptions", default: false, description: "Stop on exceptions nothing catches (errors a cell's await rejects with count as caught)" },
      ],
    };
  }

  private async attach(): Promise<Record<string, unknown>> {
    this.started = true;
    await this.setUp();
    this.emitEvent("initialized", {});
    return {};
  }

  /** Enables the debugger in the current child and places every breakpoint (again, after a restart). */
  private async setUp(): Promise<void> {
    if (!this.started || this.setUpGeneration === this.inspector.generation) return;
    const generation = this.inspector.generation;
    await this.inspector.attach();
    // V8 keeps every script it parsed for the session unless told a bound; scripts no function uses any more are
    // only ever read for their source, so a few MiB of them are enough (a long session runs thousands of cells).
    await this.inspector.post("Debugger.enable", { maxScriptsCacheSize: COLLECTED_SCRIPTS_CACHE_BYTES });
    await this.inspector.post("Debugger.setBlackboxPatterns", { patterns: [NOT_A_CELL] });
    await this.inspector.post("Debugger.setPauseOnExceptions", { state: this.pauseOnExceptionsState() });
    const globals = await this.inspector.post<{ result: RemoteObject }>("Runtime.evaluate", { expression: `[...(globalThis[Symbol.for("tsgpu.startGlobals")] ?? [])]`, returnByValue: true });
    this.paused.startGlobals = new Set((globals.result.value as string[] | undefined) ?? []);
    this.setUpGeneration = generation;
    for (const sourcePath of this.breakpoints.keys()) await this.placeBreakpoints(sourcePath);
  }

  private debugInfo(): Record<string, unknown> {
    return {
      isStarted: this.started,
      hashMethod: "Murmur2",
      hashSeed: HASH_SEED,
      tmpFilePrefix: this.tmpFilePrefix,
      tmpFileSuffix: this.tmpFileSuffix,
      breakpoints: [...this.breakpoints].map(([source, breakpoints]) => ({ source, breakpoints })),
      stoppedThreads: this.paused.isPaused ? [THREAD_ID] : [],
      richRendering: true,
      exceptionPaths: [],
      copyToGlobals: true,
    };
  }

  private async disconnect(): Promise<Record<string, unknown>> {
    this.started = false;
    this.breakpoints.clear();
    this.exceptionFilters = [];
    if (this.inspector.attached) {
      for (const ids of this.placed.values()) for (const breakpointId of ids) await this.inspector.post("Debugger.removeBreakpoint", { breakpointId }).catch(() => {});
      await this.inspector.post("Debugger.disable", {}).catch(() => {}); // also resumes a paused child
    }
    this.placed.clear();
    this.setUpGeneration = -1;
    this.onResumed();
    return {};
  }

  // ------------------------------------------------------------ cells and breakpoints

  private dumpCell(code: string): Record<string, unknown> {
    const sourcePath = this.cellPath(code);
    this.dumped.set(sourcePath, code);
    // The file is for tools that read it; the front end maps cells by name. Only this user can read it.
    mkdirSync(path.dirname(sourcePath), { recursive: true, mode: 0o700 });
    writeFileSync(sourcePath, code, { mode: 0o600 });
    return { sourcePath };
  }

  async beforeRun(cell: CellScript): Promise<void> {
    const record = new CellRecord(cell.cellNumber, this.cellPath(cell.code), cell.code, cell.body, cell.sourceMap);
    this.cells.add(record);
    if (!this.started) return;
    await this.setUp();
    if (this.skippingPauses) {
      this.skippingPauses = false;
      await this.inspector.post("Debugger.setSkipAllPauses", { skip: false });
    }
    for (const breakpoint of this.breakpoints.get(record.path) ?? []) await this.placeOne(record, breakpoint);
  }

  private async setBreakpoints(args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const source = (args.source ?? {}) as { path?: string };
    if (!source.path) throw new Error("setBreakpoints needs source.path (the path dumpCell returned)");
    const requested = ((args.breakpoints as SourceBreakpoint[] | undefined) ?? []).map(({ line, condition }) => ({ line, ...(condition ? { condition } : {}) }));
    if (requested.length) this.breakpoints.set(source.path, requested);
    else this.breakpoints.delete(source.path);
    if (this.started) {
      await this.setUp();
      await this.placeBreakpoints(source.path);
    }
    const latest = this.cells.withPath(source.path).at(-1);
    return {
      breakpoints: requested.map((breakpoint) => {
        const generated = latest?.lines.generatedLine(breakpoint.line);
        const line = latest && generated !== undefined ? latest.lines.cellLine(generated) : breakpoint.line;
        return { verified: !latest || generated !== undefined, line, source: { path: source.path } };
      }),
    };
  }

  /** Replaces the V8 breakpoints of a path with the ones the front end set. */
  private async placeBreakpoints(sourcePath: string): Promise<void> {
    if (!this.inspector.attached) return;
    for (const breakpointId of this.placed.get(sourcePath) ?? []) await this.inspector.post("Debugger.removeBreakpoint", { breakpointId }).catch(() => {});
    this.placed.delete(sourcePath);
    for (const record of this.cells.withPath(sourcePath)) {
      for (const breakpoint of this.breakpoints.get(sourcePath) ?? []) await this.placeOne(record, breakpoint);
    }
  }

  private async placeOne(record: CellRecord, breakpoint: SourceBreakpoint): Promise<void> {
    const lineNumber = record.lines.generatedLine(breakpoint.line);
    if (lineNumber === undefined) return;
    const placed = await this.inspector
      .post<{ breakpointId: string }>("Debugger.setBreakpointByUrl", { url: `cell[${record.cellNumber}]`, lineNumber, ...(breakpoint.condition ? { condition: breakpoint.condition } : {}) })
      .catch(() => undefined); // the same breakpoint placed twice: V8 keeps the first
    if (placed) this.placed.set(record.path, [...(this.placed.get(record.path) ?? []), placed.breakpointId]);
  }

  private pauseOnExceptionsState(): "none" | "uncaught" | "all" {
    if (this.exceptionFilters.includes("raised")) return "all";
    return this.exceptionFilters.includes("uncaught") ? "uncaught" : "none";
  }

  private async setExceptionBreakpoints(filters: string[]): Promise<Record<string, unknown>> {
    this.exceptionFilters = filters.filter((filter) => filter === "raised" || filter === "uncaught");
    if (this.started && this.inspector.attached) await this.inspector.post("Debugger.setPauseOnExceptions", { state: this.pauseOnExceptionsState() });
    return {};
  }

  // ------------------------------------------------------------ pause and resume

  event(method: string, params: Record<string, unknown>): void {
    if (method === "Debugger.scriptParsed") this.cells.scriptParsed(String(params.scriptId), String(params.url ?? ""));
    else if (method === "Debugger.paused") this.onPaused(params as { callFrames: CallFrame[]; reason: string; hitBreakpoints?: string[]; data?: RemoteObject });
    else if (method === "Debugger.resumed") this.onResumed();
  }

  private onPaused(params: { callFrames: CallFrame[]; reason: string; hitBreakpoints?: string[]; data?: RemoteObject }): void {
    const top = params.callFrames[0];
    if (!params.hitBreakpoints?.length && top && !this.cells.isUserCode(top)) {
      // Just my code: a pause or step that lands outside the cells goes on to the next cell statement;
      // an exception thrown and caught inside a library is not the user's.
      const exception = params.reason === "exception" || params.reason === "promiseRejection";
      void this.inspector.post(exception ? "Debugger.resume" : "Debugger.stepInto", {}).catch(() => {});
      return;
    }
    this.paused.stop(params.callFrames);
    const expected = this.expectedStop;
    this.expectedStop = undefined;
    let reason: string = expected ?? "pause";
    if (params.hitBreakpoints?.length) reason = "breakpoint";
    else if (params.reason === "exception" || params.reason === "promiseRejection") reason = "exception";
    const body: Record<string, unknown> = { reason, threadId: THREAD_ID, allThreadsStopped: true };
    if (reason === "exception" && params.data) body.text = valueText(params.data).split("\n")[0];
    this.emitEvent("stopped", body);
  }

  private onResumed(): void {
    if (!this.paused.isPaused) return;
    this.paused.resume();
    this.emitEvent("continued", { threadId: THREAD_ID, allThreadsContinued: true });
  }

  private async command(method: string, stop: "step" | "pause" | undefined, body: Record<string, unknown> = {}): Promise<Record<string, unknown>> {
    if (!this.started) throw new Error("the debugger is not attached: send attach first");
    this.expectedStop = stop;
    await this.inspector.post(method, {});
    return body;
  }

  /**
   * Before an interrupt: a paused child cannot receive SIGINT's effect or its
   * messages, so it is resumed with pauses skipped until the next cell.
   */
  async releaseForInterrupt(): Promise<void> {
    if (!this.paused.isPaused || !this.inspector.attached) return;
    this.skippingPauses = true;
    await this.inspector.post("Debugger.setSkipAllPauses", { skip: true }).catch(() => {});
    await this.inspector.post("Debugger.resume", {}).catch(() => {});
  }

  /** The cells' process ended: its scripts, V8 breakpoints and pause are gone (the front end's breakpoints stay). */
  reset(): void {
    this.cells.clear();
    this.placed.clear();
    this.skippingPauses = false;
    this.setUpGeneration = -1;
    this.onResumed();
    if (this.started) void this.setUp().catch(() => {});
  }

  // ------------------------------------------------------------ evaluating

  private async evaluate(expression: string, frameId: number | undefined): Promise<Record<string, unknown>> {
    if (!this.started) throw new Error("the debugger is not attached: send attach first");
    const value = await this.paused.evaluate(expression, frameId);
    const variable = await this.paused.variable(expression, value);
    return { result: variable.value, type: variable.type, variablesReference: variable.variablesReference };
  }

  private async inspectVariables(): Promise<Record<string, unknown>> {
    if (!this.started) throw new Error("the debugger is not attached: send attach first");
    const global = await this.inspector.post<{ result: RemoteObject }>("Runtime.evaluate", { expression: "globalThis" });
    return { variables: await this.paused.notebookGlobals(global.result.objectId!) };
  }

  private async richInspectVariables(variableName: string, frameId: number | undefined): Promise<Record<string, unknown>> {
    if (!this.started) throw new Error("the debugger is not attached: send attach first");
    const value = await this.paused.evaluate(variableName, frameId);
    const variable = await this.paused.variable(variableName, value);
    return { data: { "text/plain": String(variable.value) }, metadata: {} };
  }

  private async copyToGlobals(args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const source = String(args.srcVariableName ?? "");
    const destination = String(args.dstVariableName ?? "");
    if (!/^[A-Za-z_$][\w$]*$/.test(source)) throw new Error(`copyToGlobals copies a variable by name; "${source}" is not a name`);
    await this.paused.evaluate(`globalThis[${JSON.stringify(destination)}] = ${source}`, Number(args.srcFrameId ?? 1));
    return {};
  }

  private async source(args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const sourcePath = String((args.source as { path?: string } | undefined)?.path ?? "");
    const code = this.dumped.get(sourcePath) ?? this.cells.withPath(sourcePath).at(-1)?.code;
    if (code !== undefined) return { content: code, mimeType: "text/typescript" };
    for (const [scriptId, url] of this.cells.urls) {
      if (url === sourcePath || (url.startsWith("file://") && fileURLToPath(url) === sourcePath)) {
        const { scriptSource } = await this.inspector.post<{ scriptSource: string }>("Debugger.getScriptSource", { scriptId });
        return { content: scriptSource, mimeType: "text/javascript" };
      }
    }
    throw new Error(`no source is known for ${sourcePath}`);
  }

  private emitEvent(event: string, body: Record<string, unknown>): void {
    this.emit({ seq: this.seq++, type: "event", event, body });
  }
}
