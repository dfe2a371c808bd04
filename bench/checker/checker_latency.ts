/**
 * The cell type checker in isolation (no kernel, no sockets): in this process,
 * the first program (library load) of a NotebookService, the first cell that
 * needs the checker, then distinct cells `Math.max(N, 2) * 2`, each a new text.
 * Run one process per repetition (the first program is only first once per process):
 *
 *   node build/bench/checker/checker_latency.js [directory] [cells]
 *
 * Prints one JSON line: milliseconds for each phase and the median per distinct cell.
 */
import path from "node:path";
import { performance } from "node:perf_hooks";
import { NotebookService } from "../../kernel/compiler/notebook_service";
import { cellGlobalsDeclaration } from "../../kernel/runtime/api";

const directory = path.resolve(process.argv[2] ?? process.cwd());
const cellCount = Number(process.argv[3] ?? 50);
const typeRoot = path.dirname(path.dirname(require.resolve("@types/node/package.json")));

function timed<T>(work: () => T): [T, number] {
  const start = performance.now();
  const value = work();
  return [value, performance.now() - start];
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const [service, constructMs] = timed(() => new NotebookService(directory, cellGlobalsDeclaration(path.join(__dirname, "..", "..", "kernel", "runtime", "api")), [typeRoot]));
const [, libraryMs] = timed(() => service.check(""));
const program = (service as unknown as { service: { getProgram(): { getSourceFiles(): readonly { text: string }[] } } }).service.getProgram();
const files = program.getSourceFiles();
const [first, firstCellMs] = timed(() => service.check("Math.max(7, 2) * 2"));
if (first.diagnostics.length) throw new Error(`unexpected diagnostics: ${JSON.stringify(first.diagnostics)}`);
const perCell: number[] = [];
for (let n = 0; n < cellCount; n++) {
  const [result, ms] = timed(() => service.check(`Math.max(${n}, 2) * 2`));
  if (result.diagnostics.length) throw new Error(`unexpected diagnostics: ${JSON.stringify(result.diagnostics)}`);
  perCell.push(ms);
}
console.log(JSON.stringify({
  files: files.length,
  libraryMegabytes: Number((files.reduce((sum, f) => sum + f.text.length, 0) / 1e6).toFixed(2)),
  constructMs: Math.round(constructMs),
  libraryMs: Math.round(libraryMs),
  firstCellMs: Math.round(firstCellMs),
  distinctCellMedianMs: Number(median(perCell).toFixed(2)),
}));
