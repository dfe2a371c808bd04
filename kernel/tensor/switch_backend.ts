/** Switching tfjs backends without losing tensors that cannot move synchronously. */
import { tfjs } from "./tfjs.js";

/**
 * tf.setBackend(name), after downloading the current backend's tensors when
 * it cannot hand them over synchronously (webgpu in Node: see
 * backends/webgpu/backend_webgpu.ts). Returns tf.setBackend's answer.
 */
export async function switchBackend(name: string): Promise<boolean> {
  const tf = tfjs();
  const engine = tf.engine() as unknown as { backendName: string | null; registry: Record<string, unknown> };
  const current = engine.backendName;
  if (current && current !== name) {
    const backend = engine.registry[current] as { downloadAll?: () => Promise<void> } | undefined;
    if (typeof backend?.downloadAll === "function") await backend.downloadAll();
  }
  return tf.setBackend(name);
}
