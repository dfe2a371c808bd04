/**
 * What a backend registry entry is. Each backend tsgpu knows is one entry in
 * `backend_list.ts`; an entry can find out whether its backend runs here and,
 * if it does, register it into the shared tfjs engine.
 */

/** What probing a backend found. */
export interface ProbeResult {
  available: boolean;
  /** Why not, when unavailable; what it uses, when available. */
  detail: string;
  /** The device that runs the work, for comparison tables ("llvmpipe (software)", "NVIDIA H100..."). */
  device?: string;
}

export interface BackendEntry {
  /** tfjs backend name, as passed to tf.setBackend. */
  name: string;
  /**
   * Checks the backend and, if it can run, registers it with tfjs (at a
   * priority that never displaces the user's default backend). Must not
   * throw: failures become `available: false` with the reason. Called once;
   * the registry caches the result.
   */
  probe(): Promise<ProbeResult>;
}

/** The first line of an error, for `detail` texts. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.trim();
}

/**
 * Loads a module of another part of tsgpu that may not exist yet (the cuda
 * backend, the fast CPU path), by a path relative to this folder. Returns
 * undefined only when that module itself is missing; its own errors propagate.
 */
export function loadOptionalModule<T>(relativePath: string): T | undefined {
  const path = require("node:path").join(__dirname, relativePath) as string;
  try {
    return require(path) as T;
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    if (e.code === "MODULE_NOT_FOUND" && e.message.includes(path)) return undefined;
    throw error;
  }
}
