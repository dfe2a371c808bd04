/**
 * Loads what cells import, resolved from the notebook's folder up the tree as
 * Node would for a file there:
 *  - `node:` builtins and CommonJS packages through `require` (a `createRequire`
 *    anchored in the notebook folder);
 *  - ESM-only packages (require fails with ERR_REQUIRE_ESM or has no "require"
 *    export) through `import()` of the file the package's "exports" names;
 *  - relative `.ts`/`.mts`/`.cts` files, transpiled on first use (TypeScript is
 *    loaded only then) and cached by path and modification time.
 * Import forms then follow TypeScript's `esModuleInterop`, which the type
 * checker assumes: a CommonJS module's default export is `module.exports`.
 */
import { readFileSync, statSync, existsSync } from "node:fs";
import { createRequire, builtinModules } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";
import { BUNDLED_PACKAGES, KERNEL_API_MODULE } from "../bundled_packages";
import { afterModuleLoad } from "./hooks";

export class ModuleLoadError extends Error {
  override name = "ModuleLoadError";
}

/** A loaded module: CommonJS exports or an ES module namespace. */
export type LoadedModule = { kind: "commonjs"; exports: unknown } | { kind: "esm"; namespace: Record<string, unknown> };

const TS_EXTENSIONS = [".ts", ".mts", ".cts", ".tsx"];

type TypeScriptModule = typeof import("typescript");
/**
 * Loaded on the first relative `.ts` import only (see requireTypeScript): such a
 * file must be transpiled where it is required, synchronously, so the compiler
 * worker cannot do it; every other cell leaves the 9 MB library unloaded here.
 */
let typescript: TypeScriptModule | undefined;

export class ModuleLoader {
  readonly require: NodeJS.Require;
  private readonly tsCache = new Map<string, { mtime: number; module: { exports: unknown } }>();

  constructor(readonly directory: string) {
    this.require = createRequire(path.join(directory, "__notebook__.js"));
  }

  /** Loads a module for an `import` statement of a cell. */
  async importModule(specifier: string): Promise<LoadedModule> {
    const typescriptFile = this.typeScriptFile(specifier, this.directory);
    if (typescriptFile) return { kind: "commonjs", exports: this.requireTypeScript(typescriptFile) };
    const bundled = BUNDLED_PACKAGES.includes(packageName(specifier));
    if (packageName(specifier) === "tsgpu") return { kind: "commonjs", exports: require(KERNEL_API_MODULE) };
    try {
      return this.afterLoad(specifier, { kind: "commonjs", exports: this.require(specifier) });
    } catch (error) {
      if (bundled && (error as NodeJS.ErrnoException).code === "MODULE_NOT_FOUND") return this.afterLoad(specifier, { kind: "commonjs", exports: require(specifier) });
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== "ERR_REQUIRE_ESM" && code !== "ERR_PACKAGE_PATH_NOT_EXPORTED") {
        if (code === "MODULE_NOT_FOUND" && !(error as Error).message.includes(`'${specifier}'`)) throw error;
        if (code === "MODULE_NOT_FOUND") {
          throw new ModuleLoadError(`cannot find module "${specifier}" from ${this.directory}: install it there (npm install ${packageName(specifier)}) or check the path`);
        }
        throw error;
      }
    }
    const file = this.resolveEsm(specifier);
    const namespace = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
    return { kind: "esm", namespace };
  }

  /** Lets the layers above adjust a package they know (see hooks.ts). */
  private afterLoad(specifier: string, loaded: LoadedModule): LoadedModule {
    afterModuleLoad(specifier, loaded);
    return loaded;
  }

  /** The file an ESM-only package's "exports" (conditions import/node/default) names. */
  private resolveEsm(specifier: string): string {
    const name = packageName(specifier);
    const subpath = `.${specifier.slice(name.length)}`;
    for (let dir = this.directory; ; dir = path.dirname(dir)) {
      const root = path.join(dir, "node_modules", name);
      const manifest = path.join(root, "package.json");
      if (existsSync(manifest)) {
        const pkg = JSON.parse(readFileSync(manifest, "utf8")) as { exports?: unknown; module?: string; main?: string };
        const target = pkg.exports === undefined ? (subpath === "." ? pkg.module ?? pkg.main ?? "index.js" : subpath) : exportTarget(pkg.exports, subpath);
        if (!target) throw new ModuleLoadError(`package "${name}" does not export "${subpath}" for import`);
        return path.join(root, target);
      }
      if (path.dirname(dir) === dir) throw new ModuleLoadError(`cannot find module "${specifier}" from ${this.directory}: install it there (npm install ${name})`);
    }
  }

  /** Runs a TypeScript file as CommonJS, with its own TypeScript imports handled the same way. */
  requireTypeScript(file: string): unknown {
    const mtime = statSync(file).mtimeMs;
    const cached = this.tsCache.get(file);
    if (cached && cached.mtime === mtime) return cached.module.exports;
    const ts = (typescript ??= require("typescript") as TypeScriptModule);
    const output = ts.transpileModule(readFileSync(file, "utf8"), {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true, inlineSourceMap: true },
    });
    const module = { exports: {} as unknown };
    this.tsCache.set(file, { mtime, module });
    const fileRequire = createRequire(file);
    const localRequire = ((specifier: string) => {
      const typescriptFile = this.typeScriptFile(specifier, path.dirname(file));
      return typescriptFile ? this.requireTypeScript(typescriptFile) : fileRequire(specifier);
    }) as NodeJS.Require;
    const run = vm.compileFunction(output.outputText, ["exports", "require", "module", "__filename", "__dirname"], { filename: file });
    run(module.exports, localRequire, module, file, path.dirname(file));
    return module.exports;
  }

  /**
   * The TypeScript file a relative or absolute specifier names, as TypeScript's
   * bundler resolution finds it: as written, with a TypeScript extension
   * added, or its folder's index.ts. Undefined for JavaScript and packages.
   */
  private typeScriptFile(specifier: string, from: string): string | undefined {
    if (!specifier.startsWith(".") && !path.isAbsolute(specifier)) return undefined;
    const base = path.resolve(from, specifier);
    if (TS_EXTENSIONS.some((ext) => base.endsWith(ext))) return base;
    if (existsSync(base) && statSync(base).isFile()) return undefined;
    const candidates = [...TS_EXTENSIONS.map((ext) => base + ext), ...TS_EXTENSIONS.map((ext) => path.join(base, `index${ext}`))];
    return candidates.find((candidate) => existsSync(candidate));
  }
}


function packageName(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0]!;
}

function exportTarget(exports: unknown, subpath: string): string | undefined {
  const pick = (entry: unknown): string | undefined => {
    if (typeof entry === "string") return entry;
    if (Array.isArray(entry)) return entry.map(pick).find((x) => x !== undefined);
    if (entry && typeof entry === "object") {
      for (const condition of ["node", "import", "default"]) {
        const value = (entry as Record<string, unknown>)[condition];
        const found = value === undefined ? undefined : pick(value);
        if (found) return found;
      }
    }
    return undefined;
  };
  if (typeof exports === "string" || Array.isArray(exports)) return subpath === "." ? pick(exports) : undefined;
  const map = exports as Record<string, unknown>;
  const keys = Object.keys(map);
  if (keys.length && !keys[0]!.startsWith(".")) return subpath === "." ? pick(map) : undefined;
  if (subpath in map) return pick(map[subpath]);
  for (const key of keys) {
    const star = key.indexOf("*");
    if (star < 0) continue;
    const prefix = key.slice(0, star);
    const suffix = key.slice(star + 1);
    if (subpath.startsWith(prefix) && subpath.endsWith(suffix)) {
      const target = pick(map[key]);
      return target?.replace("*", subpath.slice(prefix.length, subpath.length - suffix.length));
    }
  }
  return undefined;
}

/** The value of `import x from "m"`. */
export function defaultExport(module: LoadedModule): unknown {
  if (module.kind === "esm") return module.namespace.default;
  const exports = module.exports as { __esModule?: boolean; default?: unknown } | null;
  return exports && exports.__esModule ? exports.default : exports;
}

/** The value of `import * as ns from "m"`. */
export function namespace(module: LoadedModule): unknown {
  if (module.kind === "esm") return module.namespace;
  const exports = module.exports;
  if (exports !== null && typeof exports === "object" && (exports as { __esModule?: boolean }).__esModule) return exports;
  if (exports === null || (typeof exports !== "object" && typeof exports !== "function")) return { default: exports };
  const result: Record<string, unknown> = { default: exports };
  for (const key of Object.keys(exports)) result[key] = (exports as Record<string, unknown>)[key];
  return result;
}

/** The value of `import { name } from "m"`. */
export function namedExport(module: LoadedModule, name: string): unknown {
  if (module.kind === "esm") return module.namespace[name];
  const exports = module.exports as Record<string, unknown> | null;
  return exports == null ? undefined : exports[name];
}

export const isBuiltin = (specifier: string) => specifier.startsWith("node:") || builtinModules.includes(specifier);
