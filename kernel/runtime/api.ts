/**
 * What notebook cells get as globals (`display`, `comms`, `promptAsync`, and
 * `prompt` with the browser's signature) and what `import ... from "tsgpu"`
 * gives. Kept in one place so the kernel's type declarations for cells and the
 * values it installs cannot drift apart.
 */
export { display, DisplayHandle, JUPYTER_DISPLAY, toMimeBundle, type MimeBundle } from "./display";
export { comms, Comm, CommError } from "./comms";
export { promptAsync, promptSync, StdinNotAllowedError } from "./stdin";
import { display } from "./display";
import { comms } from "./comms";
import { promptAsync, promptSync } from "./stdin";

/** The globals installed in the execution process, by name. */
export const cellGlobals = {
  display,
  comms,
  promptAsync,
  /** Browser-compatible: `prompt(message, default)` returns the text typed, or `default` when nothing was. */
  prompt: (message?: string, defaultValue?: string): string => {
    const answer = promptSync(message ?? "");
    return answer === "" && defaultValue !== undefined ? defaultValue : answer;
  },
};

/** TypeScript declarations of {@link cellGlobals} for the cell type checker. */
export function cellGlobalsDeclaration(apiModulePath: string): string {
  const api = JSON.stringify(apiModulePath);
  return [
    "export {};",
    "declare global {",
    `  var display: typeof import(${api}).display;`,
    `  var comms: typeof import(${api}).comms;`,
    `  var promptAsync: typeof import(${api}).promptAsync;`,
    "  /** Asks the notebook user for a line of text and waits for it (input_request on stdin). */",
    "  function prompt(message?: string, defaultValue?: string): string;",
    "}",
    "",
  ].join("\n");
}
