/**
 * The backend registry: probes each entry of {@link BACKENDS} once (on
 * demand), caches what it found, and switches tfjs between backends.
 */
import { BACKENDS } from "./backend_list.js";
import { type ProbeResult, runtimeHost } from "./backend_entry.js";
import { BackendUnavailableError } from "./errors.js";
import { registryState } from "./state.js";
import { switchBackend } from "./switch_backend.js";
import { tfjs } from "./tfjs.js";

/** A backend and what probing it found. */
export interface BackendStatus extends ProbeResult {
  name: string;
  /** True when it is tfjs's current backend. */
  active: boolean;
}

/** Names of all backends tsgpu knows, available or not. */
export function knownBackends(): string[] {
  return BACKENDS.map((entry) => entry.name);
}

/**
 * Installs the tfjs hooks that route work to tsgpu's fused kernels (once per
 * process; loaded here, not at import, so importing tsgpu does not load tfjs).
 */
function installTfjsHooks(): void {
  (require("../fused/hooks/index.js") as typeof import("../fused/hooks/index.js")).installTfjsHooks();
}

/** Probes one backend (once per process; later calls return the cached result). */
export function probeBackend(name: string): Promise<ProbeResult> {
  const entry = BACKENDS.find((e) => e.name === name);
  const state = registryState();
  if (!entry) {
    const tf = tfjs();
    // A backend registered by the user directly with tf.registerBackend is usable too.
    if (tf.findBackendFactory(name)) return Promise.resolve({ available: true, detail: "registered directly with tf.registerBackend" });
    return Promise.resolve({ available: false, detail: `unknown backend; tsgpu knows ${knownBackends().join(", ")}` });
  }
  let probe = state.probes.get(name);
  if (!probe) {
    installTfjsHooks();
    probe = entry.probe(runtimeHost()).catch((error: unknown) => ({ available: false, detail: `probe failed: ${error instanceof Error ? error.message : String(error)}` }));
    probe.then((result) => state.results.set(name, result));
    state.probes.set(name, probe);
  }
  return probe;
}

/** Probes every backend (in parallel where they allow) and returns their status. */
export async function probeBackends(): Promise<BackendStatus[]> {
  // cpu first: later probes compare with and restore the default backend.
  await probeBackend("cpu");
  const results = await Promise.all(BACKENDS.map((entry) => probeBackend(entry.name)));
  const tf = tfjs();
  await tf.ready(); // so the default backend is chosen and shows as active
  const active = tf.getBackend();
  return BACKENDS.map((entry, i) => ({ name: entry.name, ...results[i]!, active: entry.name === active }));
}

/**
 * Makes `name` tfjs's backend for everything that follows (models and
 * tensors created before move their data on first use).
 * Throws {@link BackendUnavailableError} listing the backends that can run.
 */
export async function use(name: string): Promise<BackendStatus> {
  const result = await probeBackend(name);
  const tf = tfjs();
  if (!result.available) throw new BackendUnavailableError(name, result.detail, (await probeBackends()).filter((b) => b.available).map((b) => b.name));
  if (!(await switchBackend(name))) {
    throw new BackendUnavailableError(name, "tfjs could not initialise it (see the warning printed above)", (await probeBackends()).filter((b) => b.available && b.name !== name).map((b) => b.name));
  }
  return { name, ...result, active: true };
}

