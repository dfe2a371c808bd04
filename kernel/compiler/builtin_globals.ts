/**
 * The globals Node.js itself defines (`process`, `console`, `Buffer`,
 * `setTimeout`...). A cell may declare one of these names, but its value
 * stays local to that cell: replacing the process-wide `process` or `console`
 * would break the kernel's own plumbing and every later cell. Read once, from
 * this thread's fresh global object (a worker has the same built-ins as the
 * execution process; the kernel adds nothing to it).
 */
export const BUILTIN_GLOBALS: ReadonlySet<string> = new Set([
  ...Object.getOwnPropertyNames(globalThis),
  // CommonJS wrapper names a cell receives as parameters.
  "require",
  "module",
  "exports",
  "__filename",
  "__dirname",
]);
