/**
 * What the registry has learnt in this process, kept under a `Symbol.for`
 * key so every copy of tsgpu loaded in the process (the kernel's and a
 * notebook's node_modules) sees the same probes. No heavy imports here: the
 * device snapshot reads this every second.
 */
import type { AcceptedGpuAdapter, ProbeResult } from "../backends/backend_entry.js";

export type WebGpuAdapterState = AcceptedGpuAdapter;

export interface RegistryState {
  /** Settled probe results by backend name. */
  results: Map<string, ProbeResult>;
  /** Probes under way or done, by backend name. */
  probes: Map<string, Promise<ProbeResult>>;
  webgpu?: WebGpuAdapterState;
}

const KEY = Symbol.for("tsgpu.tensor.registry");

export function registryState(): RegistryState {
  const holder = globalThis as { [KEY]?: RegistryState };
  return (holder[KEY] ??= { results: new Map(), probes: new Map() });
}
