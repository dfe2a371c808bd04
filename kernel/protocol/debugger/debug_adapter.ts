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
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { CellScript, Inspector, InspectorListener } from "../../executor/inspector_connection";
import { CellLines } from "./cell_lines";
import { murmur2 } from "./murmur2";
import { describeTensor, isExpandable, isTensorLike, typeText, valueText, type PropertyDescriptor, type RemoteObject } from "./remote_values";

export interface DapRequest {
  seq: number;
  type: "request";
  command: string;
  arguments?: Record<string, unknown>;
}

export interface DapResponse {
  seq: number;
  type: "response";
  request_seq: number;
  success: boolean;
  command: string;
  message?: string;
  body?: Record<string, unknown>;
}

export interface DapEvent {
  seq: number;
  type: "event";
  event: string;
  body: Record<string, unknown>;
}

interface SourceBreakpoint {
  line: number;
  condition?: string;
}

/** CDP Debugger.CallFrame (the fields used here). */
interface CallFrame {
  callFrameId: string;
  functionName: string;
  location: { scriptId: string; lineNumber: number; columnNumber?: number };
  scopeChain: { type: string; object: RemoteObject; name?: string }[];
  this: RemoteObject;
}

/** A script the child ran; its line map is built on first use (most cells are never debugged). */
class CellRecord {
  private map: CellLines | undefined;

  constructor(
    readonly cellNumber: number,
    readonly path: string,
    readonly code: string,
    private readonly body: string,
    private readonly sourceMap: string,
  ) {}

  get lines(): CellLines {
    return (this.map ??= new CellLines(this.body, this.sourceMap));
  }
}

/** What a variablesReference stands for (valid until the child resumes). */
type Reference = { objectId: string; hidden?: ReadonlySet<string> } | { globalsOf: string };

/** Same seed as ipykernel, so both kernels name identical code alike. */
export const HASH_SEED = 0xc70f6907;
const THREAD_ID = 1;
/** Names of the cell wrapper's parameters (cell_script.ts), not the user's locals. */
const CELL_PARAMETERS: ReadonlySet<string> = new Set(["__tsgpu", "require", "module", "exports", "__filename", "__dirname", "arguments"]);
/** V8 skips (when stepping) and does not pause on exceptions in scripts other than cells: "just my code". */
const NOT_A_CELL = "^(?!cell\\[\\d+\\]$)";
const CELL_URL = /^cell\[(\d+)\]$/;
const KERNEL_DIR = path.resolve(__dirname, "..", "..");
/** Scripts run per code are remembered this many times (old ones keep their functions alive). */
const CELLS_PER_PATH = 20;
/** Scripts remembered in all (a long session runs thousands of cells). */
const CELLS_KEPT = 1000;

export class DebugAdapter implements InspectorListener {
  readonly tmpFilePrefix: string;
  readonly tmpFileSuffix = ".ts";
  private seq = 1;
  private started = false;
  /** Inspector generation the debugger was set up in (a fresh child needs setting up again). */
  private setUpGeneration = -1;
  private readonly breakpoints = new Map<string, SourceBreakpoint[]>();
  private readonly placed = new Map<string, string[]>();
  private readonly cellsByPath = new Map<string, CellRecord[]>();
  private readonly cellsByNumber = new Map<number, CellRecord>();
  private readonly dumped = new Map<string, string>();
  private readonly scriptUrls = new Map<string, string>();
  private exceptionFilters: string[] = [];
  private paused: { callFrames: CallFrame[] } | undefined;
  private references = new Map<number, Reference>();
  private nextReference = 1;
  private startGlobals: ReadonlySet<string> | undefined;
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
    inspector.listen(this);
  }

  /** The path the front end gives a cell with this code. */
  cellPath(code: string): string {
    return `${this.tmpFilePrefix}${murmur2(code, HASH_SEED)}${this.tmpFileSuffix}`;
  }

  /** Whether the child is stopped at a breakpoint or step. */
  get isPaused(): boolean {
    return this.paused !== undefined;
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
        return this.stackTrace(args);
      case "scopes":
        return this.scopes(Number(args.frameId));
      case "variables":
        return this.variables(Number(args.variablesReference));
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
    await this.inspector.post("Debugger.enable", {});
    await this.inspector.post("Debugger.setBlackboxPatterns", { patterns: [NOT_A_CELL] });
    await this.inspector.post("Debugger.setPauseOnExceptions", { state: this.pauseOnExceptionsState() });
    const globals = await this.inspector.post<{ result: RemoteObject }>("Runtime.evaluate", { expression: `[...(globalThis[Symbol.for("tsgpu.startGlobals")] ?? [])]`, returnByValue: true });
    this.startGlobals = new Set((globals.result.value as string[] | undefined) ?? []);
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
      stoppedThreads: this.paused ? [THREAD_ID] : [],
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
    if (this.paused) this.onResumed();
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
    const records = this.cellsByPath.get(record.path) ?? [];
    records.push(record);
    if (records.length > CELLS_PER_PATH) this.forget(records.shift()!);
    this.cellsByPath.set(record.path, records);
    this.cellsByNumber.set(record.cellNumber, record);
    if (this.cellsByNumber.size > CELLS_KEPT) this.forget(this.cellsByNumber.values().next().value!);
    if (!this.started) return;
    await this.setUp();
    if (this.skippingPauses) {
      this.skippingPauses = false;
      await this.inspector.post("Debugger.setSkipAllPauses", { skip: false });
    }
    for (const breakpoint of this.breakpoints.get(record.path) ?? []) await this.placeOne(record, breakpoint);
  }

  /** Drops a script's record (its functions may live on, but are no longer mapped to their cell). */
  private forget(record: CellRecord): void {
    this.cellsByNumber.delete(record.cellNumber);
    const records = this.cellsByPath.get(record.path)?.filter((other) => other !== record);
    if (records?.length) this.cellsByPath.set(record.path, records);
    else this.cellsByPath.delete(record.path);
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
    const latest = this.cellsByPath.get(source.path)?.at(-1);
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
    for (const record of this.cellsByPath.get(sourcePath) ?? []) {
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
    if (method === "Debugger.scriptParsed") this.scriptUrls.set(String(params.scriptId), String(params.url ?? ""));
    else if (method === "Debugger.paused") this.onPaused(params as { callFrames: CallFrame[]; reason: string; hitBreakpoints?: string[]; data?: RemoteObject });
    else if (method === "Debugger.resumed") this.onResumed();
  }

  private onPaused(params: { callFrames: CallFrame[]; reason: string; hitBreakpoints?: string[]; data?: RemoteObject }): void {
    const top = params.callFrames[0];
    if (!params.hitBreakpoints?.length && top && !this.isUserCode(top)) {
      // Just my code: a pause or step that lands outside the cells goes on to the next cell statement;
      // an exception thrown and caught inside a library is not the user's.
      const exception = params.reason === "exception" || params.reason === "promiseRejection";
      void this.inspector.post(exception ? "Debugger.resume" : "Debugger.stepInto", {}).catch(() => {});
      return;
    }
    this.paused = { callFrames: params.callFrames };
    this.references = new Map();
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
    if (!this.paused) return;
    this.paused = undefined;
    this.references = new Map();
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
    if (!this.paused || !this.inspector.attached) return;
    this.skippingPauses = true;
    await this.inspector.post("Debugger.setSkipAllPauses", { skip: true }).catch(() => {});
    await this.inspector.post("Debugger.resume", {}).catch(() => {});
  }

  /** The cells' process ended: its scripts, V8 breakpoints and pause are gone (the front end's breakpoints stay). */
  reset(): void {
    this.cellsByPath.clear();
    this.cellsByNumber.clear();
    this.scriptUrls.clear();
    this.placed.clear();
    this.skippingPauses = false;
    this.setUpGeneration = -1;
    this.onResumed();
    if (this.started) void this.setUp().catch(() => {});
  }

  // ------------------------------------------------------------ inspecting a pause

  private frame(frameId: number): CallFrame {
    const frame = this.paused?.callFrames[frameId - 1];
    if (!frame) throw new Error(this.paused ? `no stack frame ${frameId}` : "the cells are not stopped");
    return frame;
  }

  /** A frame in a cell's own lines (not the wrapper that calls it, not a library). */
  private isUserCode(frame: CallFrame): boolean {
    const cell = this.cellOf(frame);
    return cell !== undefined && frame.location.lineNumber >= 0 && frame.location.lineNumber < cell.lines.length;
  }

  private cellOf(frame: CallFrame): CellRecord | undefined {
    const match = CELL_URL.exec(this.scriptUrls.get(frame.location.scriptId) ?? "");
    return match ? this.cellsByNumber.get(Number(match[1])) : undefined;
  }

  private stackTrace(args: Record<string, unknown>): Record<string, unknown> {
    if (!this.paused) throw new Error("the cells are not stopped");
    const frames: Record<string, unknown>[] = [];
    this.paused.callFrames.forEach((frame, index) => {
      const url = this.scriptUrls.get(frame.location.scriptId) ?? "";
      const cell = this.cellOf(frame);
      const line = frame.location.lineNumber;
      const column = (frame.location.columnNumber ?? 0) + 1;
      if (cell) {
        if (!this.isUserCode(frame)) return; // the wrapper that calls the cell
        const name = frame.functionName ? `${frame.functionName} (cell[${cell.cellNumber}])` : `cell[${cell.cellNumber}]`;
        frames.push({ id: index + 1, name, line: cell.lines.cellLine(line), column, source: { name: `cell[${cell.cellNumber}]`, path: cell.path } });
        return;
      }
      const file = url.startsWith("file://") ? fileURLToPath(url) : url;
      if (file.startsWith(KERNEL_DIR) || file.startsWith("node:")) return; // the kernel's frames (the cell runner) and Node's own (vm, timers)
      frames.push({ id: index + 1, name: frame.functionName || "(anonymous)", line: line + 1, column, source: { name: path.basename(file) || file, path: file }, presentationHint: "subtle" });
    });
    const start = Number(args.startFrame ?? 0);
    const levels = Number(args.levels ?? 0);
    return { stackFrames: levels > 0 ? frames.slice(start, start + levels) : frames.slice(start), totalFrames: frames.length };
  }

  private reference(target: Reference): number {
    const id = this.nextReference++;
    this.references.set(id, target);
    return id;
  }

  private scopes(frameId: number): Record<string, unknown> {
    const frame = this.frame(frameId);
    const isCell = this.cellOf(frame) !== undefined;
    const scopes: Record<string, unknown>[] = [];
    for (const scope of frame.scopeChain) {
      const objectId = scope.object.objectId;
      if (!objectId) continue;
      if (scope.type === "global") {
        scopes.push({ name: "Globals", variablesReference: this.reference({ globalsOf: objectId }), expensive: false });
      } else if (scope.type === "local") {
        scopes.push({ name: "Locals", presentationHint: "locals", variablesReference: this.reference({ objectId, hidden: isCell && !frame.functionName ? CELL_PARAMETERS : undefined }), expensive: false });
      } else if (scope.type !== "script" && scope.type !== "module") {
        scopes.push({ name: scope.type[0]!.toUpperCase() + scope.type.slice(1), variablesReference: this.reference({ objectId }), expensive: false });
      }
    }
    return { scopes };
  }

  private async variables(variablesReference: number): Promise<Record<string, unknown>> {
    const target = this.references.get(variablesReference);
    if (!target) throw new Error(`unknown variablesReference ${variablesReference} (references end when the cells resume)`);
    if ("globalsOf" in target) return { variables: await this.notebookGlobals(target.globalsOf) };
    const { result } = await this.inspector.post<{ result: PropertyDescriptor[] }>("Runtime.getProperties", { objectId: target.objectId, ownProperties: true });
    const shown = result.filter((property) => property.value && !target.hidden?.has(property.name) && property.name !== "__proto__");
    return { variables: await Promise.all(shown.slice(0, 500).map((property) => this.variable(property.name, property.value!))) };
  }

  /** The globals the notebook's cells declared (top-level bindings live on globalThis), without Node's and the kernel's. */
  private async notebookGlobals(globalObjectId: string): Promise<Record<string, unknown>[]> {
    const { result } = await this.inspector.post<{ result: PropertyDescriptor[] }>("Runtime.getProperties", { objectId: globalObjectId, ownProperties: true });
    const own = result.filter((property) => property.value && property.enumerable && !this.startGlobals?.has(property.name));
    return Promise.all(own.map((property) => this.variable(property.name, property.value!)));
  }

  private async variable(name: string, value: RemoteObject): Promise<Record<string, unknown>> {
    const tensor = isTensorLike(value) ? await describeTensor(this.inspector, value).catch(() => undefined) : undefined;
    // Peer quirk: JupyterLab's variable tree shows `type ?? value` unless the type is one of Python's
    // int/float/bool/str (packages/debugger/src/panels/variables/tree.tsx). Primitives and tensors
    // therefore carry no type, so the tree shows their value; other objects keep their class name.
    const typed = !tensor && value.type === "object" && value.subtype !== "null";
    return {
      name,
      value: tensor ?? valueText(value),
      ...(typed ? { type: typeText(value) } : {}),
      evaluateName: name,
      variablesReference: isExpandable(value) ? this.reference({ objectId: value.objectId! }) : 0,
    };
  }

  private async evaluateRemote(expression: string, frameId: number | undefined): Promise<RemoteObject> {
    const reply =
      this.paused && frameId !== undefined
        ? await this.inspector.post<{ result: RemoteObject; exceptionDetails?: { exception?: RemoteObject; text: string } }>("Debugger.evaluateOnCallFrame", { callFrameId: this.frame(frameId).callFrameId, expression })
        : await this.inspector.post<{ result: RemoteObject; exceptionDetails?: { exception?: RemoteObject; text: string } }>("Runtime.evaluate", { expression });
    if (reply.exceptionDetails) throw new Error(reply.exceptionDetails.exception ? valueText(reply.exceptionDetails.exception) : reply.exceptionDetails.text);
    return reply.result;
  }

  private async evaluate(expression: string, frameId: number | undefined): Promise<Record<string, unknown>> {
    if (!this.started) throw new Error("the debugger is not attached: send attach first");
    const value = await this.evaluateRemote(expression, frameId);
    const variable = await this.variable(expression, value);
    return { result: variable.value, type: variable.type, variablesReference: variable.variablesReference };
  }

  private async inspectVariables(): Promise<Record<string, unknown>> {
    if (!this.started) throw new Error("the debugger is not attached: send attach first");
    const global = await this.inspector.post<{ result: RemoteObject }>("Runtime.evaluate", { expression: "globalThis" });
    return { variables: await this.notebookGlobals(global.result.objectId!) };
  }

  private async richInspectVariables(variableName: string, frameId: number | undefined): Promise<Record<string, unknown>> {
    if (!this.started) throw new Error("the debugger is not attached: send attach first");
    const value = await this.evaluateRemote(variableName, frameId);
    const variable = await this.variable(variableName, value);
    return { data: { "text/plain": String(variable.value) }, metadata: {} };
  }

  private async copyToGlobals(args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const source = String(args.srcVariableName ?? "");
    const destination = String(args.dstVariableName ?? "");
    if (!/^[A-Za-z_$][\w$]*$/.test(source)) throw new Error(`copyToGlobals copies a variable by name; "${source}" is not a name`);
    await this.evaluateRemote(`globalThis[${JSON.stringify(destination)}] = ${source}`, Number(args.srcFrameId ?? 1));
    return {};
  }

  private async source(args: Record<string, unknown>): Promise<Record<string, unknown>> {
    const sourcePath = String((args.source as { path?: string } | undefined)?.path ?? "");
    const code = this.dumped.get(sourcePath) ?? this.cellsByPath.get(sourcePath)?.at(-1)?.code;
    if (code !== undefined) return { content: code, mimeType: "text/typescript" };
    for (const [scriptId, url] of this.scriptUrls) {
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
