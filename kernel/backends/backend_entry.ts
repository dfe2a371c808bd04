/**
 * What a backend registry entry is. Each backend folder under
 * `kernel/backends/` offers one entry (its `index.ts`); the tensor runtime
 * (`kernel/tensor/backend_list.ts`) lists them. An entry can find out whether
 * its backend runs here and, if it does, register it into the shared tfjs
 * engine. Backends never import the runtime: what they need from it comes in
 * a {@link BackendHost}.
 */
export type Tfjs = typeof import("@tensorflow/tfjs");

/** What probing a backend found. */
export interface ProbeResult {
  available: boolean;
  /** Why not, when unavailable; what it uses, when available. */
  detail: string;
  /** The device that runs the work, for comparison tables ("llvmpipe (software)", "NVIDIA H100..."). */
  device?: string;
  /** True when the device is a CPU software renderer standing in for a GPU (llvmpipe): `compare()` leaves it out by default. */
  software?: boolean;
  /** What the backend's native library printed while probing, kept out of the cell's output. */
  nativeLog?: string[];
}

/** A GPU adapter a backend accepted, as the device snapshot shows it. */
export interface AcceptedGpuAdapter {
  description: string;
  software: boolean;
  path: string;
  maxBufferBytes: number;
}

/** What the tensor runtime lends a backend's probe. */
export interface BackendHost {
  /** The one shared `@tensorflow/tfjs` (loaded on first call). */
  tfjs(): Tfjs;
  /** Whether `packageName` resolves the shared tfjs-core (two copies mean two engines). */
  sharesTfjsCore(packageName: string): boolean;
  /** tf.setBackend(name), after downloading tensors the current backend cannot hand over synchronously. */
  switchBackend(name: string): Promise<boolean>;
  /** Records the WebGPU adapter that passed its check, for the device snapshot. */
  recordWebGpuAdapter(adapter: AcceptedGpuAdapter): void;
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
  probe(host: BackendHost): Promise<ProbeResult>;
}

/** The first line of an error, for `detail` texts. */
export function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split("\n")[0]!.trim();
}
