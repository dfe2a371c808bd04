/**
 * Turns a cell into a script the execution process can run so that its
 * top-level declarations outlive it:
 *
 *  1. TypeScript -> JavaScript (`transpileModule`, types erased, imports kept
 *     verbatim so a cell that only imports still binds its names), with a
 *     source map for stack traces.
 *  2. Top-level declarations become assignments to `globalThis`, so the next
 *     cell sees them and may re-declare them (`const x = 1` ->
 *     `(globalThis.x = 1);`); function declarations stay (hoisted) and are
 *     published at the start of the cell; imports become awaited calls to the
 *     kernel's module loader; the last expression statement is returned.
 *
 * Every edit keeps the line structure, so line numbers in the generated script
 * equal the transpiled JavaScript's, which the source map relates to the cell.
 */
import ts from "typescript";
import { BUILTIN_GLOBALS } from "./builtin_globals";
import { bindingNames } from "./cell_syntax";
import { RUNTIME_PARAMETER } from "./cell_script";

export interface CellScript {
  /** Body of an async function; see `wrapCellScript` in cell_script.ts. */
  body: string;
  /** Source map (JSON) from `body` lines to the cell. */
  sourceMap: string;
  /** True when the last statement is an expression whose value is returned as `{ value }`. */
  returnsValue: boolean;
}

export class CellSyntaxError extends Error {
  override name = "SyntaxError";
}

interface Edit {
  start: number;
  end: number;
  text: string;
}

const newlinesIn = (text: string) => text.split("\n").length - 1;
/** Replacement text padded with the newlines the replaced span had. */
const keepLines = (original: string, replacement: string) => replacement + "\n".repeat(Math.max(0, newlinesIn(original) - newlinesIn(replacement)));

/**
 * Transpiles and rewrites a cell. Names in `keepLocal` (Node's own globals)
 * are not published: the cell's declaration of such a name stays local to it.
 */
export function rewriteCell(code: string, fileName: string, keepLocal: ReadonlySet<string> = BUILTIN_GLOBALS): CellScript {
  const output = ts.transpileModule(code, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.Preserve,
      target: ts.ScriptTarget.ES2022,
      verbatimModuleSyntax: true,
      sourceMap: true,
      inlineSourceMap: false,
      removeComments: false,
      useDefineForClassFields: true,
    },
  });
  const errors = (output.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (errors.length) throw new CellSyntaxError(ts.flattenDiagnosticMessageText(errors[0]!.messageText, "\n"));
  const js = output.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, "\n");
  const { body, returnsValue } = rewriteJavaScript(js, keepLocal);
  return { body, sourceMap: output.sourceMapText ?? "", returnsValue };
}

/** The JavaScript half of {@link rewriteCell} (exported for tests). */
export function rewriteJavaScript(js: string, keepLocal: ReadonlySet<string> = BUILTIN_GLOBALS): { body: string; returnsValue: boolean } {
  const file = ts.createSourceFile("cell.js", js, ts.ScriptTarget.Latest, true, ts.ScriptKind.JS);
  const edits: Edit[] = [];
  const published: string[] = [];
  const local = new Set<string>();
  const isLocal = (names: string[]) => {
    const builtins = names.filter((name) => keepLocal.has(name));
    for (const name of builtins) local.add(name);
    return builtins.length > 0;
  };
  const statements = file.statements;
  let returnsValue = false;
  statements.forEach((statement, index) => {
    const isLast = index === statements.length - 1;
    if (ts.isImportDeclaration(statement)) edits.push(rewriteImport(statement, file, keepLocal, local));
    else if (ts.isVariableStatement(statement)) {
      const names = statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
      edits.push(...(isLocal(names) ? dropExportModifiers(statement, file) : rewriteVariables(statement, file)));
    } else if (ts.isFunctionDeclaration(statement)) {
      edits.push(...dropExportModifiers(statement, file));
      if (statement.name && !isLocal([statement.name.text])) published.push(statement.name.text);
    } else if (ts.isClassDeclaration(statement)) {
      edits.push(...(statement.name && isLocal([statement.name.text]) ? dropExportModifiers(statement, file) : rewriteClass(statement, file)));
    }
    else if (ts.isExportDeclaration(statement) || ts.isExportAssignment(statement)) {
      edits.push({ start: statement.getStart(file), end: statement.end, text: keepLines(statement.getText(file), "") });
    } else if (isLast && ts.isExpressionStatement(statement)) {
      const expression = statement.expression;
      edits.push({ start: expression.getStart(file), end: expression.getStart(file), text: "return { value: (" });
      edits.push({ start: expression.end, end: expression.end, text: ") };" });
      returnsValue = true;
    }
  });
  const prologue = published.map((name) => `globalThis.${name} = ${name}; `);
  if (local.size) prologue.unshift(`${RUNTIME_PARAMETER}.noteLocalBuiltins(${JSON.stringify([...local])}); `);
  if (prologue.length) {
    const at = statements.length ? statements[0]!.getStart(file) : 0;
    edits.push({ start: at, end: at, text: prologue.join("") });
  }
  return { body: applyEdits(js, edits), returnsValue };
}

function applyEdits(text: string, edits: Edit[]): string {
  edits.sort((a, b) => a.start - b.start || a.end - b.end);
  let result = "";
  let last = 0;
  for (const edit of edits) {
    result += text.slice(last, edit.start) + edit.text;
    last = edit.end;
  }
  return result + text.slice(last);
}

function dropExportModifiers(node: ts.HasModifiers, file: ts.SourceFile): Edit[] {
  return (ts.getModifiers(node) ?? [])
    .filter((m) => m.kind === ts.SyntaxKind.ExportKeyword || m.kind === ts.SyntaxKind.DefaultKeyword)
    .map((m) => ({ start: m.getStart(file), end: m.end, text: "" }));
}

/**
 * `import d, { a as b } from "m"` -> one awaited load, then one assignment per
 * binding (a `var`, local to the cell, for a name in `keepLocal`).
 */
function rewriteImport(statement: ts.ImportDeclaration, file: ts.SourceFile, keepLocal: ReadonlySet<string>, local: Set<string>): Edit {
  const target = (name: string) => {
    if (!keepLocal.has(name)) return `globalThis.${name}`;
    local.add(name);
    return `var ${name}`;
  };
  const specifier = statement.moduleSpecifier.getText(file);
  const load = `await ${RUNTIME_PARAMETER}.importModule(${specifier})`;
  const clause = statement.importClause;
  const parts: string[] = [];
  if (!clause) parts.push(`${load};`);
  else {
    parts.push(`{ const __module = ${load};`);
    if (clause.name) parts.push(`${target(clause.name.text)} = ${RUNTIME_PARAMETER}.defaultExport(__module);`);
    const named = clause.namedBindings;
    if (named && ts.isNamespaceImport(named)) parts.push(`${target(named.name.text)} = ${RUNTIME_PARAMETER}.namespace(__module);`);
    else if (named) {
      for (const element of named.elements) {
        if (element.isTypeOnly) continue;
        const imported = (element.propertyName ?? element.name).getText(file);
        const key = imported.startsWith('"') || imported.startsWith("'") ? imported : JSON.stringify(imported);
        parts.push(`${target(element.name.text)} = ${RUNTIME_PARAMETER}.namedExport(__module, ${key});`);
      }
    }
    parts.push("}");
  }
  const original = statement.getText(file);
  return { start: statement.getStart(file), end: statement.end, text: keepLines(original, parts.join(" ")) };
}

/** `const a = 1, { b } = o;` -> `(globalThis.a = 1, { b: globalThis.b } = o);` */
function rewriteVariables(statement: ts.VariableStatement, file: ts.SourceFile): Edit[] {
  const list = statement.declarationList;
  const declarations = list.declarations;
  if (declarations.length === 0) return [];
  const isVar = !(list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const));
  const edits: Edit[] = [{ start: statement.getStart(file), end: declarations[0]!.getStart(file), text: "(" }];
  for (const declaration of declarations) {
    const nameText = declaration.name.getText(file);
    edits.push({ start: declaration.name.getStart(file), end: declaration.name.end, text: keepLines(nameText, bindingTarget(declaration.name, file)) });
    if (!declaration.initializer) {
      // `var x;` keeps an earlier value, as re-running a script's `var` does; `let x;` resets it.
      const value = isVar && ts.isIdentifier(declaration.name) ? `globalThis.${declaration.name.text}` : "undefined";
      edits.push({ start: declaration.end, end: declaration.end, text: ` = ${value}` });
    } else if (declaration.type || declaration.exclamationToken) {
      // Types are erased already; nothing else sits between name and initializer in JavaScript.
    }
  }
  const lastDeclaration = declarations[declarations.length - 1]!;
  edits.push({ start: lastDeclaration.end, end: statement.end, text: keepLines(file.text.slice(lastDeclaration.end, statement.end), ");") });
  return edits;
}

/** A binding pattern as an assignment target whose identifiers are globals. */
function bindingTarget(name: ts.BindingName, file: ts.SourceFile): string {
  if (ts.isIdentifier(name)) return `globalThis.${name.text}`;
  const withDefault = (element: ts.BindingElement, target: string) =>
    element.initializer ? `${target} = ${element.initializer.getText(file)}` : target;
  if (ts.isObjectBindingPattern(name)) {
    const elements = name.elements.map((element) => {
      const target = bindingTarget(element.name, file);
      if (element.dotDotDotToken) return `...${target}`;
      const key = element.propertyName ? element.propertyName.getText(file) : (element.name as ts.Identifier).text;
      return `${key}: ${withDefault(element, target)}`;
    });
    return `{ ${elements.join(", ")} }`;
  }
  const elements = name.elements.map((element) => {
    if (ts.isOmittedExpression(element)) return "";
    const target = bindingTarget(element.name, file);
    return element.dotDotDotToken ? `...${target}` : withDefault(element, target);
  });
  return `[${elements.join(", ")}]`;
}

/** `class C {}` -> `globalThis.C = class C {};` (class declarations are not hoisted, so in place is exact). */
function rewriteClass(statement: ts.ClassDeclaration, file: ts.SourceFile): Edit[] {
  if (!statement.name) return dropExportModifiers(statement, file);
  const edits = dropExportModifiers(statement, file);
  const classKeyword = statement.getChildren(file).find((child) => child.kind === ts.SyntaxKind.ClassKeyword)!;
  edits.push({ start: classKeyword.getStart(file), end: classKeyword.getStart(file), text: `globalThis.${statement.name.text} = ` });
  edits.push({ start: statement.end, end: statement.end, text: ";" });
  return edits;
}
