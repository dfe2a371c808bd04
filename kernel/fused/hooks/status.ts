/**
 * What the tfjs hooks (index.ts) decided in this process, readable without
 * loading tfjs (the device snapshot and `tsgpu doctor` read it).
 */

/** The tfjs release line the hooks were written against (major.minor). */
export const SUPPORTED_TFJS = "4.22";

/** The tfjs packages whose internals the hooks touch, and their versions. */
export interface TfjsVersions {
  core: string;
  layers: string;
}

/** What `installTfjsHooks` decided. */
export type TfjsHooksStatus =
  | { state: "installed"; tfjsVersion: string }
  | { state: "declined"; tfjsVersion: string; reason: string };

export interface InstallTfjsHooksOptions {
  /** The versions to check (default: the loaded tfjs-core's and tfjs-layers'); for tests. */
  versions?: TfjsVersions;
  /** Where the decision is recorded (default: one per process, shared by every copy of tsgpu); for tests. */
  holder?: object;
}

/** Where the decision is kept: one per process, shared by every copy of tsgpu loaded in it. */
export const TFJS_HOOKS_KEY = Symbol.for("tsgpu.fused.tfjsHooks");

/** The decision `installTfjsHooks` recorded, or undefined before it ran. Never loads tfjs. */
export function tfjsHooksStatus(holder: object = globalThis): TfjsHooksStatus | undefined {
  return (holder as { [TFJS_HOOKS_KEY]?: TfjsHooksStatus })[TFJS_HOOKS_KEY];
}

/** One line for `tsgpu doctor` and `devices()`. */
export function describeTfjsHooks(status: TfjsHooksStatus | undefined = tfjsHooksStatus()): string {
  if (!status) return "fused-kernel hooks: not installed yet (the tensor registry installs them on first use)";
  if (status.state === "installed") return `fused-kernel hooks: installed (tfjs ${status.tfjsVersion})`;
  return `fused-kernel hooks: declined (tfjs ${status.tfjsVersion}): ${status.reason}`;
}
