/**
 * Compiler options for notebook cells: a `tsconfig.json` in the notebook's
 * folder (or above it) is respected; without one, defaults that suit a
 * notebook: modern JavaScript, Node types (which declare the web APIs Node has:
 * `console`, `fetch`, `setTimeout`, `URL`, `TextEncoder`, `structuredClone`...),
 * strict checks, top-level await. No DOM lib: a kernel runs in Node, and the DOM
 * declarations (2.3 of the 5.2 MB the libraries would be) made the first check
 * and every later one slower (bench/results/kernel-2026-12-05.md). A cell with
 * `/// <reference lib="dom" />` brings them back for itself and the cells after
 * it (notebook_service.ts); a tsconfig.json `lib` list replaces the default.
 *
 * Some options are forced because of how cells run: every cell is a module
 * (`moduleDetection: force`) checked with `module: preserve` (imports and
 * `import x = require()` both work, as in the runtime), and declaration emit is
 * on (the kernel reads each cell's declarations for the cells after it).
 */
import path from "node:path";
import ts from "typescript";
import { BUNDLED_PACKAGES, KERNEL_API_MODULE, KERNEL_ROOT } from "../bundled_packages";

export class TsconfigError extends Error {
  override name = "TsconfigError";
}

const DEFAULTS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  lib: ["lib.es2023.d.ts"],
  types: ["node"],
  strict: true,
  esModuleInterop: true,
  skipLibCheck: true,
  resolveJsonModule: true,
  allowJs: true,
};


function findPackage(directory: string, name: string): string | undefined {
  for (let dir = directory; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, "node_modules", name);
    if (ts.sys.directoryExists(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `paths` entries pointing bundled packages at the kernel's copies where needed. */
function bundledPaths(directory: string): ts.MapLike<string[]> {
  const paths: ts.MapLike<string[]> = { tsgpu: [`${KERNEL_API_MODULE}.d.ts`] };
  for (const name of BUNDLED_PACKAGES.slice(1)) {
    if (findPackage(directory, name)) continue;
    const own = findPackage(KERNEL_ROOT, name);
    if (own) {
      paths[name] = [own];
      paths[`${name}/*`] = [`${own}/*`];
    }
  }
  return paths;
}

/** Options for cells in `directory`; `extraTypeRoots` adds the kernel's own @types. */
export function loadCompilerOptions(directory: string, extraTypeRoots: string[] = []): ts.CompilerOptions {
  let options: ts.CompilerOptions = { ...DEFAULTS };
  const configPath = ts.findConfigFile(directory, ts.sys.fileExists, "tsconfig.json");
  if (configPath && path.dirname(configPath) === directory) {
    const read = ts.readConfigFile(configPath, ts.sys.readFile);
    if (read.error) throw new TsconfigError(`${configPath}: ${ts.flattenDiagnosticMessageText(read.error.messageText, "\n")}`);
    const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, path.dirname(configPath), undefined, configPath);
    options = { ...options, ...parsed.options };
  }
  const typeRoots = [...(options.typeRoots ?? []), path.join(directory, "node_modules", "@types"), ...extraTypeRoots];
  return {
    ...options,
    typeRoots,
    paths: { ...bundledPaths(directory), ...(options.paths ?? {}) },
    module: ts.ModuleKind.Preserve,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    moduleDetection: ts.ModuleDetectionKind.Force,
    allowImportingTsExtensions: true,
    declaration: true,
    emitDeclarationOnly: true,
    noEmit: false,
    isolatedModules: false,
    verbatimModuleSyntax: false,
    noUnusedLocals: false,
    noUnusedParameters: false,
    composite: false,
    incremental: false,
  };
}
