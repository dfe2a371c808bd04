/**
 * The runtime's side of backend entries: the contract itself lives with the
 * backends (`kernel/backends/backend_entry.ts`); this adds the host the
 * runtime lends each probe and the loader for optional backend modules.
 */
import type { BackendHost } from "../backends/backend_entry.js";
import { registryState } from "./state.js";
import { switchBackend } from "./switch_backend.js";
import { sharesTfjsCore, tfjs } from "./tfjs.js";

export { type AcceptedGpuAdapter, type BackendEntry, type BackendHost, type ProbeResult, reasonOf } from "../backends/backend_entry.js";

/** The host every probe gets: the shared tfjs, backend switching, the registry's state. */
export function runtimeHost(): BackendHost {
  return {
    tfjs,
    sharesTfjsCore,
    switchBackend,
    recordWebGpuAdapter: (adapter) => {
      registryState().webgpu = adapter;
    },
  };
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
