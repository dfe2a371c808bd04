/**
 * The notebook's TypeScript language service: type-checks cells against the
 * declarations of the cells run before them, and answers completion and
 * inspection.
 *
 * How cells see each other: every cell is checked as a module file
 * `__tsgpu_cell__.ts` in the notebook's folder (so imports resolve from there)
 * whose text is a *prelude* followed by the cell. The prelude holds, for each
 * name earlier cells declared (latest definition wins, and names the current
 * cell declares itself are left out so it can re-declare them):
 *   - the import statement that bound it, and
 *   - its declaration as TypeScript's declaration emit wrote it (`declare const
 *     x: number;`, `declare class C {...}`), obtained by checking the cell with
 *     `export` added to its top-level declarations.
 * Diagnostics and positions are mapped back to the cell's own lines.
 *
 * Libraries: the compiler options' `lib` list (no DOM by default, see
 * compiler_options.ts), plus every lib a cell named in a `/// <reference
 * lib="..." />` line, for that cell and the cells after it: the prelude starts
 * with those references (TypeScript reads them only at the top of a file, and
 * the cell's own lines come after the prelude). Node has the WebAssembly global
 * but only the DOM lib declares it: without the DOM lib, its declarations are
 * taken from the installed TypeScript's lib.dom.d.ts into a file of their own.
 */
import { readFileSync, statSync, existsSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { analyzeCell, bindingNames, statementNames, toExportedOffset, toOriginalOffset, type CellSyntax } from "./cell_syntax";
import { BUILTIN_GLOBALS } from "./builtin_globals";
import { loadCompilerOptions } from "./compiler_options";

/** A diagnostic in cell coordinates (0-based line and column in the cell). */
export type { CellDiagnostic } from "./requests";
import type { CellDiagnostic } from "./requests";

interface VirtualFile {
  text: string;
  version: number;
}

/**
 * TypeScript's symbol display, which `getCompletionEntryDetails` uses for its text. That method
 * first recomputes the whole completion list to find the entry's symbol (for `tf.` several
 * hundred exports, per entry); with `includeSymbol` the list already carries the symbols, so
 * the kernel asks the display directly. Not in TypeScript's declarations (an internal of the
 * pinned 6.0): without it, completionDetail falls back to getCompletionEntryDetails.
 */
interface SymbolDisplayInternals {
  SymbolDisplay?: {
    getSymbolDisplayPartsDocumentationAndSymbolKind(checker: ts.TypeChecker, symbol: ts.Symbol, sourceFile: ts.SourceFile, enclosing: ts.Node, location: ts.Node, meaning: number): { displayParts: ts.SymbolDisplayPart[] };
  };
  getTouchingPropertyName?(sourceFile: ts.SourceFile, position: number): ts.Node;
}
const internals = ts as unknown as SymbolDisplayInternals;
/** SemanticMeaning.All in TypeScript's services. */
const ALL_MEANINGS = 7;

const CELL_FILE = "__tsgpu_cell__.ts";
const GLOBALS_FILE = "__tsgpu_globals__.d.ts";
const WEBASSEMBLY_FILE = "__tsgpu_webassembly__.d.ts";

export class NotebookService {
  readonly directory: string;
  private readonly options: ts.CompilerOptions;
  private readonly cellPath: string;
  private readonly globalsPath: string;
  private readonly webAssemblyPath: string;
  /** Libs (`dom`, `es2024.array`...) that committed cells referenced with `/// <reference lib>`. */
  private readonly referencedLibs = new Set<string>();
  /** Libs the cell now loaded references, committed cells' included. */
  private loadedLibs = new Set<string>();
  private readonly virtual = new Map<string, VirtualFile>();
  private readonly snapshots = new Map<string, ts.IScriptSnapshot | null>();
  private readonly existsCache = new Map<string, boolean>();
  /**
   * Module resolutions and package.json lookups, kept across programs. Every cell is a
   * new program; without a cache of its own the language service starts each one with an
   * empty cache and reads the package.json scope of every library file again (about a fifth
   * of a trivial cell's check) and resolves the prelude's imports again.
   */
  private resolutionCache: ts.ModuleResolutionCache;
  private readonly service: ts.LanguageService;
  /** name -> import statement that binds it, for names earlier cells imported. */
  private readonly importsByName = new Map<string, string>();
  /** name -> declaration statements (d.ts text) from earlier cells. */
  private readonly declarationsByName = new Map<string, string[]>();
  private preludeLength = 0;
  /** Where the lib references of the loaded cell that no earlier cell made sit in the prelude. */
  private ownReferenceSpans: { start: number; end: number; reference: ts.FileReference }[] = [];
  private current: CellSyntax | undefined;

  /**
   * @param directory the notebook's folder: imports and tsconfig.json resolve from here.
   * @param globalsSource ambient declarations of the kernel's globals (display, comms...).
   */
  constructor(directory: string, globalsSource: string, extraTypeRoots: string[] = []) {
    this.directory = path.resolve(directory);
    this.options = loadCompilerOptions(this.directory, extraTypeRoots);
    this.cellPath = path.join(this.directory, CELL_FILE);
    this.globalsPath = path.join(this.directory, GLOBALS_FILE);
    this.virtual.set(this.globalsPath, { text: globalsSource, version: 1 });
    this.virtual.set(this.cellPath, { text: "", version: 1 });
    this.webAssemblyPath = path.join(this.directory, WEBASSEMBLY_FILE);
    // Without a `lib` list TypeScript's default for the target has the DOM lib; the webworker lib declares WebAssembly too.
    const libsDeclareWebAssembly = this.options.lib === undefined || this.options.lib.some((lib) => /^lib\.(dom|webworker)\.d\.ts$/i.test(path.basename(lib)));
    const webAssembly = libsDeclareWebAssembly ? undefined : webAssemblyDeclarations(ts.getDefaultLibFilePath(this.options));
    if (webAssembly) this.virtual.set(this.webAssemblyPath, { text: webAssembly, version: 1 });
    this.resolutionCache = this.newResolutionCache();
    this.service = ts.createLanguageService(this.host(), ts.createDocumentRegistry());
  }

  private newResolutionCache(): ts.ModuleResolutionCache {
    return ts.createModuleResolutionCache(this.directory, (file) => (ts.sys.useCaseSensitiveFileNames ? file : file.toLowerCase()), this.options);
  }

  private host(): ts.LanguageServiceHost {
    const isImmutable = (file: string) => file.includes(`${path.sep}node_modules${path.sep}`) || file.startsWith(path.dirname(ts.getDefaultLibFilePath(this.options)));
    const fileExists = (file: string) => {
      if (this.virtual.has(file)) return true;
      let exists = this.existsCache.get(file);
      if (exists === undefined) this.existsCache.set(file, (exists = ts.sys.fileExists(file)));
      return exists;
    };
    const readFile = (file: string) => this.virtual.get(file)?.text ?? ts.sys.readFile(file);
    const resolutionHost: ts.ModuleResolutionHost = {
      fileExists,
      readFile,
      directoryExists: ts.sys.directoryExists,
      realpath: ts.sys.realpath,
      getDirectories: ts.sys.getDirectories,
      getCurrentDirectory: () => this.directory,
    };
    // `getModuleResolutionCache` is a CompilerHost method that the language service passes on to
    // the programs it creates (used for package.json lookups together with resolveModuleNameLiterals).
    const host: ts.LanguageServiceHost & Pick<ts.CompilerHost, "getModuleResolutionCache"> = {
      getCompilationSettings: () => this.options,
      getModuleResolutionCache: () => this.resolutionCache,
      resolveModuleNameLiterals: (literals, containingFile, redirectedReference, options, containingSourceFile) =>
        literals.map((literal) =>
          ts.resolveModuleName(literal.text, containingFile, options, resolutionHost, this.resolutionCache, redirectedReference, ts.getModeForUsageLocation(containingSourceFile, literal, options)),
        ),
      getScriptFileNames: () => (this.needsWebAssemblyFile() ? [this.globalsPath, this.webAssemblyPath, this.cellPath] : [this.globalsPath, this.cellPath]),
      getScriptVersion: (file) => {
        const v = this.virtual.get(file);
        if (v) return String(v.version);
        if (isImmutable(file)) return "0";
        try {
          return String(statSync(file).mtimeMs);
        } catch {
          return "missing";
        }
      },
      getScriptSnapshot: (file) => {
        const v = this.virtual.get(file);
        if (v) return ts.ScriptSnapshot.fromString(v.text);
        if (!isImmutable(file)) return existsSync(file) ? ts.ScriptSnapshot.fromString(readFileSync(file, "utf8")) : undefined;
        let snapshot = this.snapshots.get(file);
        if (snapshot === undefined) {
          snapshot = existsSync(file) ? ts.ScriptSnapshot.fromString(adaptLibrary(file, readFileSync(file, "utf8"))) : null;
          this.snapshots.set(file, snapshot);
        }
        return snapshot ?? undefined;
      },
      getCurrentDirectory: () => this.directory,
      getDefaultLibFileName: (o) => ts.getDefaultLibFilePath(o),
      fileExists,
      readFile,
      readDirectory: ts.sys.readDirectory,
      directoryExists: ts.sys.directoryExists,
      getDirectories: ts.sys.getDirectories,
      realpath: ts.sys.realpath,
      useCaseSensitiveFileNames: () => ts.sys.useCaseSensitiveFileNames,
    };
    return host;
  }

  /** Forgets cached file-existence answers (packages may have been installed). */
  refreshFileSystem(): void {
    this.existsCache.clear();
    this.resolutionCache = this.newResolutionCache();
  }

  /** WebAssembly's declarations come from their own file while no DOM lib is in the program. */
  private needsWebAssemblyFile(): boolean {
    return this.virtual.has(this.webAssemblyPath) && !this.loadedLibs.has("dom") && !this.loadedLibs.has("webworker");
  }

  /**
   * The prelude's text, and where in it each lib reference new in this cell sits (so that
   * TypeScript's diagnostic for an unknown lib can be shown on the cell's own line).
   */
  private prelude(exclude: Set<string>, ownReferences: readonly ts.FileReference[]): { text: string; ownReferenceSpans: { start: number; end: number; reference: ts.FileReference }[] } {
    let text = [...this.referencedLibs].map((lib) => `/// <reference lib=${JSON.stringify(lib)} />\n`).join("");
    const ownReferenceSpans = [];
    for (const reference of ownReferences) {
      const line = `/// <reference lib=${JSON.stringify(reference.fileName)} />\n`;
      ownReferenceSpans.push({ start: text.length, end: text.length + line.length, reference });
      text += line;
    }
    const lines: string[] = [];
    for (const [name, statement] of this.importsByName) if (!exclude.has(name)) lines.push(statement);
    for (const [name, statements] of this.declarationsByName) if (!exclude.has(name)) lines.push(...statements);
    if (lines.length) text += `${lines.join("\n")}\n`;
    return { text, ownReferenceSpans };
  }

  /** Loads a cell into the virtual file (prelude + cell with exports added). */
  private load(code: string): CellSyntax {
    const syntax = analyzeCell(code);
    const ownReferences = syntax.sourceFile.libReferenceDirectives.filter((reference) => !this.referencedLibs.has(reference.fileName.toLowerCase()));
    this.loadedLibs = new Set([...this.referencedLibs, ...ownReferences.map((reference) => reference.fileName.toLowerCase())]);
    const prelude = this.prelude(syntax.declaredNames, ownReferences);
    this.preludeLength = prelude.text.length;
    this.ownReferenceSpans = prelude.ownReferenceSpans;
    const file = this.virtual.get(this.cellPath)!;
    const text = prelude.text + syntax.exportedText;
    if (file.text !== text) this.virtual.set(this.cellPath, { text, version: file.version + 1 });
    this.current = syntax;
    return syntax;
  }

  /** Offset in the virtual file of an offset in the cell. */
  private toFileOffset(syntax: CellSyntax, cellOffset: number): number {
    return this.preludeLength + toExportedOffset(syntax, cellOffset);
  }

  /** Offset in the cell of an offset in the virtual file (clamped to the cell). */
  private toCellOffset(syntax: CellSyntax, fileOffset: number): number {
    return toOriginalOffset(syntax, Math.max(0, fileOffset - this.preludeLength));
  }

  /**
   * Type-checks a cell. Returns its diagnostics (errors first) in cell
   * coordinates; a cell starting with `// @ts-nocheck` gets syntax errors only.
   */
  check(code: string): { syntax: CellSyntax; diagnostics: CellDiagnostic[] } {
    const syntax = this.load(code);
    const program = this.service.getProgram()!;
    const sourceFile = program.getSourceFile(this.cellPath)!;
    const found: ts.Diagnostic[] = [...program.getSyntacticDiagnostics(sourceFile)];
    if (found.length === 0 && !syntax.noCheck) found.push(...program.getSemanticDiagnostics(sourceFile));
    const diagnostics: CellDiagnostic[] = [];
    const seen = new Set<string>();
    for (const d of found) {
      // An unknown lib in a reference of this cell is reported on the prelude's copy of the line
      // (and, when the prelude is only lib references, on the cell's line too: reported once).
      const span = d.start === undefined ? undefined : this.ownReferenceSpans.find((s) => d.start! >= s.start && d.start! < s.end);
      if (!span && d.start !== undefined && d.start < this.preludeLength) continue;
      const diagnostic = this.toCellDiagnostic(syntax, span ? { ...d, start: this.toFileOffset(syntax, span.reference.pos), length: span.reference.end - span.reference.pos } : d);
      const key = `${diagnostic.code}:${diagnostic.line}:${diagnostic.column}:${diagnostic.message}`;
      if (!seen.has(key)) diagnostics.push(diagnostic);
      seen.add(key);
    }
    diagnostics.sort((a, b) => (a.category === "error" ? 0 : 1) - (b.category === "error" ? 0 : 1) || a.line - b.line || a.column - b.column);
    return { syntax, diagnostics };
  }

  private toCellDiagnostic(syntax: CellSyntax, d: ts.Diagnostic): CellDiagnostic {
    const start = d.start === undefined ? 0 : this.toCellOffset(syntax, d.start);
    const { line, character } = syntax.sourceFile.getLineAndCharacterOfPosition(start);
    const category = ts.DiagnosticCategory[d.category].toLowerCase() as CellDiagnostic["category"];
    return { code: d.code, category, message: ts.flattenDiagnosticMessageText(d.messageText, "\n"), line, column: character, length: d.length ?? 0 };
  }

  /**
   * Records the declarations of the cell last passed to {@link check}, so later
   * cells see them. Call once the cell is sent to run.
   */
  commitLastChecked(): void {
    const syntax = this.current;
    if (!syntax) return;
    for (const reference of syntax.sourceFile.libReferenceDirectives) this.referencedLibs.add(reference.fileName.toLowerCase());
    const declarations = new Map<string, string[]>();
    if (syntax.exportInsertions.length > 0) {
      const output = this.service.getEmitOutput(this.cellPath, true, true);
      const dts = output.outputFiles.find((f) => f.name.endsWith(".d.ts"))?.text ?? "";
      collectDeclarations(dts, syntax.declaredNames, declarations);
    }
    // A cell's own declaration of one of Node's globals stays local to it (see cell_rewrite.ts), so later cells keep Node's type.
    const recorded = (name: string) => !BUILTIN_GLOBALS.has(name);
    for (const name of syntax.declaredNames) {
      if (!recorded(name)) continue;
      this.importsByName.delete(name);
      this.declarationsByName.delete(name);
    }
    for (const binding of syntax.imports) if (recorded(binding.name)) this.importsByName.set(binding.name, binding.statement);
    for (const [name, statements] of declarations) if (recorded(name)) this.declarationsByName.set(name, statements);
    this.current = undefined;
  }

  /** Completions at a cell offset (UTF-16). */
  completions(code: string, cellOffset: number): { entries: ts.CompletionEntry[]; replaceStart: number; replaceEnd: number } {
    const syntax = this.load(code);
    const fileOffset = this.toFileOffset(syntax, cellOffset);
    const result = this.service.getCompletionsAtPosition(this.cellPath, fileOffset, {
      includeCompletionsForModuleExports: false,
      includeCompletionsWithInsertText: true,
      includeAutomaticOptionalChainCompletions: true,
      includeSymbol: true,
    });
    let replaceStart = cellOffset;
    while (replaceStart > 0 && /[\w$]/.test(code[replaceStart - 1]!)) replaceStart--;
    let replaceEnd = cellOffset;
    if (result?.optionalReplacementSpan) {
      replaceStart = this.toCellOffset(syntax, result.optionalReplacementSpan.start);
      replaceEnd = this.toCellOffset(syntax, result.optionalReplacementSpan.start + result.optionalReplacementSpan.length);
    }
    const prefix = code.slice(replaceStart, cellOffset).toLowerCase();
    const entries = (result?.entries ?? []).filter((e) => e.name.toLowerCase().startsWith(prefix) && !e.name.startsWith("__tsgpu"));
    entries.sort((a, b) => (a.sortText < b.sortText ? -1 : a.sortText > b.sortText ? 1 : a.name.localeCompare(b.name)));
    return { entries, replaceStart, replaceEnd };
  }

  /** Signature or type of a completion entry, for the front end's type column. */
  completionDetail(code: string, cellOffset: number, entry: ts.CompletionEntry): string | undefined {
    const syntax = this.current ?? this.load(code);
    const display = internals.SymbolDisplay?.getSymbolDisplayPartsDocumentationAndSymbolKind;
    if (entry.symbol && display && internals.getTouchingPropertyName) {
      const program = this.service.getProgram()!;
      const sourceFile = program.getSourceFile(this.cellPath)!;
      const location = internals.getTouchingPropertyName(sourceFile, this.toFileOffset(syntax, cellOffset));
      return ts.displayPartsToString(display(program.getTypeChecker(), entry.symbol, sourceFile, location, location, ALL_MEANINGS).displayParts);
    }
    const details = this.service.getCompletionEntryDetails(this.cellPath, this.toFileOffset(syntax, cellOffset), entry.name, undefined, entry.source, undefined, entry.data);
    return details ? ts.displayPartsToString(details.displayParts) : undefined;
  }

  /** Type and documentation of the symbol at (or just before) a cell offset. */
  inspect(code: string, cellOffset: number): { signature: string; documentation: string; tags: string[] } | undefined {
    const syntax = this.load(code);
    for (const offset of [cellOffset, cellOffset - 1]) {
      if (offset < 0) continue;
      const info = this.service.getQuickInfoAtPosition(this.cellPath, this.toFileOffset(syntax, offset));
      if (!info) continue;
      return {
        signature: ts.displayPartsToString(info.displayParts),
        documentation: ts.displayPartsToString(info.documentation ?? []),
        tags: (info.tags ?? []).map((t) => `@${t.name}${t.text ? ` ${ts.displayPartsToString(t.text)}` : ""}`),
      };
    }
    return undefined;
  }
}

/**
 * The kernel's `prompt()` never returns null (it blocks until the user answers),
 * so the DOM lib's `string | null` declaration gives way to the kernel's own
 * (see cellGlobalsDeclaration); everything else in the libs is used as is.
 */
function adaptLibrary(file: string, text: string): string {
  if (path.basename(file) !== "lib.dom.d.ts") return text;
  return text.replace(/^declare function prompt\(message\?: string, _default\?: string\): string \| null;$/m, "");
}

/**
 * The `WebAssembly` namespace (and the `BufferSource` type it uses) as the DOM lib next to
 * `defaultLibPath` declares it, or undefined when that lib has no such block. Read from the
 * installed TypeScript, so the declarations always match the compiler that checks them.
 */
function webAssemblyDeclarations(defaultLibPath: string): string | undefined {
  const domLib = path.join(path.dirname(defaultLibPath), "lib.dom.d.ts");
  if (!existsSync(domLib)) return undefined;
  const text = readFileSync(domLib, "utf8");
  const start = text.indexOf("\ndeclare namespace WebAssembly {\n");
  const end = start < 0 ? -1 : text.indexOf("\n}\n", start);
  const bufferSource = /^type BufferSource = [^\n]*;$/m.exec(text);
  if (end < 0 || !bufferSource) return undefined;
  return `${bufferSource[0]}\n${text.slice(start + 1, end + 3)}`;
}

/** Splits a declaration file into per-name statements for the names wanted. */
function collectDeclarations(dts: string, wanted: Set<string>, into: Map<string, string[]>): void {
  const file = ts.createSourceFile("cell.d.ts", dts, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  for (const statement of file.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || ts.isExportDeclaration(statement)) continue;
    if (ts.isVariableStatement(statement)) {
      const list = statement.declarationList;
      const keyword = list.flags & ts.NodeFlags.Const ? "const" : list.flags & ts.NodeFlags.Let ? "let" : "var";
      for (const declaration of list.declarations) {
        for (const name of bindingNames(declaration.name)) if (wanted.has(name)) append(into, name, `declare ${keyword} ${declaration.getText(file)};`);
      }
      continue;
    }
    const text = stripExport(statement.getText(file));
    for (const name of statementNames(statement)) if (wanted.has(name)) append(into, name, text);
  }
}

function stripExport(text: string): string {
  return text.replace(/^export\s+(default\s+)?/, "");
}

function append(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
