/**
 * Syntax-only facts about one cell, from TypeScript's parser (no type checker):
 * which top-level names it declares, the text of each import binding, and the
 * cell with `export` added to its top-level declarations (so declaration emit
 * describes them for later cells). Cheap: one parse.
 */
import ts from "typescript";

/** One import binding, as a standalone import statement that declares only it. */
export interface ImportBinding {
  name: string;
  statement: string;
}

export interface CellSyntax {
  sourceFile: ts.SourceFile;
  /** Every top-level name the cell declares (values, types, imports). */
  declaredNames: Set<string>;
  imports: ImportBinding[];
  /** Offsets (in the original text) where "export " was inserted, ascending. */
  exportInsertions: number[];
  /** The cell with "export " before each top-level declaration. */
  exportedText: string;
  /** The cell starts with a `// @ts-nocheck` comment: run despite type errors. */
  noCheck: boolean;
}

const EXPORT = "export ";

/** The names a binding pattern or identifier declares. */
export function bindingNames(name: ts.BindingName, into: string[] = []): string[] {
  if (ts.isIdentifier(name)) into.push(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, into);
  return into;
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);
}

/** Names a top-level statement declares (empty for expressions etc.). */
export function statementNames(statement: ts.Statement): string[] {
  if (ts.isVariableStatement(statement)) return statement.declarationList.declarations.flatMap((d) => bindingNames(d.name));
  if (
    (ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) || ts.isInterfaceDeclaration(statement) ||
      ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)) && statement.name
  ) return [statement.name.text];
  if (ts.isModuleDeclaration(statement) && ts.isIdentifier(statement.name)) return [statement.name.text];
  if (ts.isImportEqualsDeclaration(statement)) return [statement.name.text];
  if (ts.isImportDeclaration(statement)) return importBindings(statement, statement.getSourceFile()).map((b) => b.name);
  return [];
}

function importBindings(statement: ts.ImportDeclaration, file: ts.SourceFile): ImportBinding[] {
  const clause = statement.importClause;
  if (!clause) return [];
  const from = statement.moduleSpecifier.getText(file);
  const attributes = statement.attributes ? ` ${statement.attributes.getText(file)}` : "";
  const typeOnly = clause.isTypeOnly ? "type " : "";
  const bindings: ImportBinding[] = [];
  if (clause.name) bindings.push({ name: clause.name.text, statement: `import ${typeOnly}${clause.name.text} from ${from}${attributes};` });
  const named = clause.namedBindings;
  if (named && ts.isNamespaceImport(named)) {
    bindings.push({ name: named.name.text, statement: `import ${typeOnly}* as ${named.name.text} from ${from}${attributes};` });
  } else if (named) {
    for (const element of named.elements) {
      bindings.push({ name: element.name.text, statement: `import ${typeOnly}{ ${element.getText(file)} } from ${from}${attributes};` });
    }
  }
  return bindings;
}

function isExportable(statement: ts.Statement): boolean {
  if (hasModifier(statement, ts.SyntaxKind.ExportKeyword) || hasModifier(statement, ts.SyntaxKind.DefaultKeyword)) return false;
  if (ts.isModuleDeclaration(statement)) return ts.isIdentifier(statement.name);
  return (
    ts.isVariableStatement(statement) || ts.isFunctionDeclaration(statement) || ts.isClassDeclaration(statement) ||
    ts.isInterfaceDeclaration(statement) || ts.isTypeAliasDeclaration(statement) || ts.isEnumDeclaration(statement)
  ) && statementNames(statement).length > 0;
}

/** Parses a cell and collects its syntax facts. */
export function analyzeCell(code: string, fileName = "cell.ts"): CellSyntax {
  const sourceFile = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const declaredNames = new Set<string>();
  const imports: ImportBinding[] = [];
  const exportInsertions: number[] = [];
  for (const statement of sourceFile.statements) {
    for (const name of statementNames(statement)) declaredNames.add(name);
    if (ts.isImportDeclaration(statement)) imports.push(...importBindings(statement, sourceFile));
    if (ts.isImportEqualsDeclaration(statement)) imports.push({ name: statement.name.text, statement: statement.getText(sourceFile) });
    if (isExportable(statement)) exportInsertions.push(statement.getStart(sourceFile));
  }
  let exportedText = "";
  let last = 0;
  for (const at of exportInsertions) {
    exportedText += code.slice(last, at) + EXPORT;
    last = at;
  }
  exportedText += code.slice(last);
  const noCheck = /^\s*\/\/\s*@ts-nocheck\b/.test(code);
  return { sourceFile, declaredNames, imports, exportInsertions, exportedText, noCheck };
}

/** Maps an offset in the exported text back to the original cell text. */
export function toOriginalOffset(syntax: CellSyntax, exportedOffset: number): number {
  let shift = 0;
  for (const at of syntax.exportInsertions) {
    if (at + shift + EXPORT.length <= exportedOffset) shift += EXPORT.length;
    else if (at + shift <= exportedOffset) return at; // inside an inserted "export "
    else break;
  }
  return exportedOffset - shift;
}

/** Maps an offset in the original cell text to the exported text. */
export function toExportedOffset(syntax: CellSyntax, originalOffset: number): number {
  let shift = 0;
  for (const at of syntax.exportInsertions) if (at <= originalOffset) shift += EXPORT.length;
  return originalOffset + shift;
}
