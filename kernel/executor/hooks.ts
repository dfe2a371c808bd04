/**
 * Extension points of the execution child. The executor knows nothing of
 * tensors or devices: the layers above register what they add here, from a
 * setup module the child loads at start (see `ExecutionOptions.childSetupModules`
 * and kernel/monitor/child_setup.ts).
 */
import type { LoadedModule } from "./module_loader";

/**
 * Turns an error a cell threw into a more helpful one (for example, an
 * allocation failure into a report of what was asked and what is free), or
 * returns undefined to leave it alone. Must not throw; if it does, the
 * original error is reported.
 */
export type ErrorDescriber = (thrown: unknown) => unknown;

/** Called after a cell's `import` loaded a package (not for relative TypeScript files). */
export type ModuleLoadHook = (specifier: string, loaded: LoadedModule) => void;

const errorDescribers: ErrorDescriber[] = [];
const moduleLoadHooks: ModuleLoadHook[] = [];

/** Adds an error describer; they are tried in registration order, the first answer wins. */
export function registerErrorDescriber(describer: ErrorDescriber): void {
  errorDescribers.push(describer);
}

/** Adds a hook run after each package a cell imports. */
export function registerModuleLoadHook(hook: ModuleLoadHook): void {
  moduleLoadHooks.push(hook);
}

/** The error to report for `thrown`: the first describer's answer, else `thrown` itself. */
export function describeThrown(thrown: unknown): unknown {
  for (const describer of errorDescribers) {
    try {
      const described = describer(thrown);
      if (described !== undefined) return described;
    } catch {
      // A describer that fails must not hide the cell's own error.
    }
  }
  return thrown;
}

/** Runs the module-load hooks for a package a cell imported. */
export function afterModuleLoad(specifier: string, loaded: LoadedModule): void {
  for (const hook of moduleLoadHooks) hook(specifier, loaded);
}
