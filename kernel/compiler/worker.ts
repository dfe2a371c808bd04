/**
 * The compiler worker thread: owns the TypeScript language service, so that
 * loading TypeScript and checking cells never delay heartbeats, interrupts or
 * kernel_info on the main thread, and completion works while a cell runs.
 */
import { parentPort, workerData } from "node:worker_threads";
import { rewriteCell } from "./cell_rewrite";
import { isComplete } from "./is_complete";
import { NotebookService } from "./notebook_service";
import type { CompilerReply, CompilerRequest, Completions, Inspection, PreparedCell } from "./requests";

export interface CompilerWorkerData {
  directory: string;
  globalsSource: string;
  typeRoots: string[];
}

const data = workerData as CompilerWorkerData;
let service: NotebookService | undefined;
const notebook = () => (service ??= new NotebookService(data.directory, data.globalsSource, data.typeRoots));

/** Signatures are looked up for this many completion entries (each costs a checker call). */
const DETAILED_COMPLETIONS = 30;

function prepare(code: string, fileName: string): PreparedCell {
  const svc = notebook();
  // Packages may have been installed since the last cell: look at the disk again for cells that import.
  if (/\b(import|require)\b/.test(code)) svc.refreshFileSystem();
  const { syntax, diagnostics } = svc.check(code);
  // A lib reference (`/// <reference lib="dom" />`) stays for later cells, like a declaration.
  const changesContext = syntax.declaredNames.size > 0 || syntax.sourceFile.libReferenceDirectives.length > 0;
  if (diagnostics.some((d) => d.category === "error")) return { diagnostics, changesContext: false, reusable: false };
  const script = rewriteCell(code, fileName);
  const reusable = !changesContext && diagnostics.length === 0 && !syntax.noCheck && !/\bimport\b/.test(code);
  return { diagnostics, body: script.body, sourceMap: script.sourceMap, returnsValue: script.returnsValue, declaredNames: [...syntax.declaredNames], changesContext, reusable };
}

function complete(code: string, offset: number): Completions {
  const svc = notebook();
  const { entries, replaceStart, replaceEnd } = svc.completions(code, offset);
  const items = entries.slice(0, 1000).map((entry, index) => ({
    name: entry.name,
    kind: entry.kind,
    signature: index < DETAILED_COMPLETIONS ? svc.completionDetail(code, offset, entry) : undefined,
  }));
  return { items, start: replaceStart, end: replaceEnd };
}

function inspect(code: string, offset: number): Inspection {
  const info = notebook().inspect(code, offset);
  return info ? { found: true, ...info } : { found: false };
}

function handle(request: CompilerRequest): unknown {
  switch (request.op) {
    case "prepare":
      return prepare(request.code, request.fileName);
    case "complete":
      return complete(request.code, request.offset);
    case "inspect":
      return inspect(request.code, request.offset);
    case "isComplete":
      return isComplete(request.code);
    case "reset":
      service = undefined;
      warmUp();
      return null;
  }
}

parentPort!.on("message", (message: { id: number; request: CompilerRequest }) => {
  let reply: CompilerReply;
  try {
    reply = { id: message.id, ok: true, value: handle(message.request) };
  } catch (error) {
    const e = error as Error;
    reply = { id: message.id, ok: false, error: { name: e.name, message: e.message, stack: e.stack } };
  }
  parentPort!.postMessage(reply);
  // After the reply is on its way: record a prepared cell's declarations for the next cells.
  if (message.request.op === "prepare" && reply.ok && (reply.value as PreparedCell).body !== undefined) {
    try {
      notebook().commitLastChecked();
    } catch (error) {
      process.stderr.write(`tsgpu: could not record the declarations of a cell: ${(error as Error).message}\n`);
    }
  }
});

/**
 * What the worker does while the user types the first cell: load the libraries
 * (the first program), then check, rewrite and complete a few typical cells so
 * that the code paths a real cell takes are compiled by V8 (a first real check
 * after the bare library load took 3-8x a later one). Nothing is committed:
 * later cells never see these. One step per turn of the event loop, so a
 * request that arrives meanwhile waits for one step at most.
 */
const WARM_UP_CELLS = [
  "const xs = [1, 2, 3].map((x) => x * 2);\nfunction f(s: string): number { return s.length; }\nclass K { v = 1; }\nlet o = { k: 'v', n: f(`a${xs[0]}`) };\nawait Promise.resolve(o.n);\nMath.max(...xs) + new K().v",
  "console.log(Math.round(2.5), JSON.stringify({ a: [1, 'b'] }), new Map<string, number>().get('k') ?? 0)",
  "interface P { x: number; y?: string }\nconst p: P = { x: 1 };\nfor (const [k, v] of Object.entries(p)) if (typeof v === 'number') display(k, v.toFixed(1));",
];

/**
 * Rounds of WARM_UP_CELLS, each text new (a new program, as a new cell makes).
 * V8 optimises the checker's hot functions only after a number of checks: a
 * check right after one round took about 6 ms, after 15 about 3 ms. With 8
 * rounds the first checked cell 2 s after start took 12.2-13.0 ms instead of
 * 14.4-17.0 (medians of 6 starts, 4 interleaved pairs, 2-core Intel Xeon); 16
 * rounds were no better. 8 rounds add about 0.2 s of background work, done
 * 1.45 s after the worker starts on that machine.
 */
const WARM_UP_ROUNDS = 8;

function warmUp(): void {
  const steps: (() => void)[] = [() => notebook().check("")];
  for (let round = 0; round < WARM_UP_ROUNDS; round++) {
    for (const [index, cell] of WARM_UP_CELLS.entries()) {
      const code = `${cell}\n${round}`; // a new text each round: a new program, as a new cell makes
      steps.push(() => notebook().check(code));
      if (round === 0) steps.push(() => rewriteCell(code, `warm-up[${index}].ts`));
    }
  }
  steps.push(() => complete("Math.", 5));
  steps.push(() => complete("[1].m", 5));
  let generation: NotebookService | undefined;
  const next = () => {
    const step = steps.shift();
    // Stop when the notebook was reset meanwhile (the new service warms up on its own).
    if (!step || (generation !== undefined && service !== generation)) return;
    try {
      step();
    } catch {
      return; // A broken tsconfig.json is reported when the first cell runs.
    }
    generation ??= service;
    setImmediate(next);
  };
  setImmediate(next);
}

warmUp();
