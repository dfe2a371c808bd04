/**
 * What the front end reads while the cells are stopped: the stack trace (cell
 * frames mapped to cell lines, the kernel's and Node's frames left out), the
 * scopes of a frame, variables, and expressions evaluated on a frame. Variable
 * references and frame ids are valid until the child resumes.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { Inspector } from "../../executor/inspector_connection";
import type { CallFrame, CellScripts } from "./cell_scripts";
import { describeTensor, isExpandable, isTensorLike, typeText, valueText, type PropertyDescriptor, type RemoteObject } from "./remote_values";

/** What a variablesReference stands for (valid until the child resumes). */
type Reference = { objectId: string; hidden?: ReadonlySet<string> } | { globalsOf: string };

/** Names of the cell wrapper's parameters (cell_script.ts), not the user's locals. */
const CELL_PARAMETERS: ReadonlySet<string> = new Set(["__tsgpu", "require", "module", "exports", "__filename", "__dirname", "arguments"]);
const KERNEL_DIR = path.resolve(__dirname, "..", "..");

export class PausedFrames {
  private paused: { callFrames: CallFrame[] } | undefined;
  private references = new Map<number, Reference>();
  private nextReference = 1;
  /** Globals the child had before any cell ran (Node's and the kernel's), left out of Globals. */
  startGlobals: ReadonlySet<string> | undefined;

  constructor(
    private readonly inspector: Inspector,
    private readonly cells: CellScripts,
  ) {}

  get isPaused(): boolean {
    return this.paused !== undefined;
  }

  /** The child stopped with these frames; earlier references end. */
  stop(callFrames: CallFrame[]): void {
    this.paused = { callFrames };
    this.references = new Map();
  }

  /** The child resumed: its frames and references end. */
  resume(): void {
    this.paused = undefined;
    this.references = new Map();
  }

  stackTrace(args: Record<string, unknown>): Record<string, unknown> {
    if (!this.paused) throw new Error("the cells are not stopped");
    const frames: Record<string, unknown>[] = [];
    this.paused.callFrames.forEach((frame, index) => {
      const url = this.cells.urls.get(frame.location.scriptId) ?? "";
      const cell = this.cells.cellOf(frame);
      const line = frame.location.lineNumber;
      const column = (frame.location.columnNumber ?? 0) + 1;
      if (cell) {
        if (!this.cells.isUserCode(frame)) return; // the wrapper that calls the cell
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

  scopes(frameId: number): Record<string, unknown> {
    const frame = this.frame(frameId);
    const isCell = this.cells.cellOf(frame) !== undefined;
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

  async variables(variablesReference: number): Promise<Record<string, unknown>> {
    const target = this.references.get(variablesReference);
    if (!target) throw new Error(`unknown variablesReference ${variablesReference} (references end when the cells resume)`);
    if ("globalsOf" in target) return { variables: await this.notebookGlobals(target.globalsOf) };
    const { result } = await this.inspector.post<{ result: PropertyDescriptor[] }>("Runtime.getProperties", { objectId: target.objectId, ownProperties: true });
    const shown = result.filter((property) => property.value && !target.hidden?.has(property.name) && property.name !== "__proto__");
    return { variables: await Promise.all(shown.slice(0, 500).map((property) => this.variable(property.name, property.value!))) };
  }

  /** The globals the notebook's cells declared (top-level bindings live on globalThis), without Node's and the kernel's. */
  async notebookGlobals(globalObjectId: string): Promise<Record<string, unknown>[]> {
    const { result } = await this.inspector.post<{ result: PropertyDescriptor[] }>("Runtime.getProperties", { objectId: globalObjectId, ownProperties: true });
    const own = result.filter((property) => property.value && property.enumerable && !this.startGlobals?.has(property.name));
    return Promise.all(own.map((property) => this.variable(property.name, property.value!)));
  }

  /** A remote value as a DAP variable. */
  async variable(name: string, value: RemoteObject): Promise<{ name: string; value: string; type?: string; evaluateName: string; variablesReference: number }> {
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

  /** Evaluates on a stopped frame, or globally when not stopped or no frame is named. */
  async evaluate(expression: string, frameId: number | undefined): Promise<RemoteObject> {
    const reply =
      this.paused && frameId !== undefined
        ? await this.inspector.post<{ result: RemoteObject; exceptionDetails?: { exception?: RemoteObject; text: string } }>("Debugger.evaluateOnCallFrame", { callFrameId: this.frame(frameId).callFrameId, expression })
        : await this.inspector.post<{ result: RemoteObject; exceptionDetails?: { exception?: RemoteObject; text: string } }>("Runtime.evaluate", { expression });
    if (reply.exceptionDetails) throw new Error(reply.exceptionDetails.exception ? valueText(reply.exceptionDetails.exception) : reply.exceptionDetails.text);
    return reply.result;
  }

  private frame(frameId: number): CallFrame {
    const frame = this.paused?.callFrames[frameId - 1];
    if (!frame) throw new Error(this.paused ? `no stack frame ${frameId}` : "the cells are not stopped");
    return frame;
  }

  private reference(target: Reference): number {
    const id = this.nextReference++;
    this.references.set(id, target);
    return id;
  }
}
