/**
 * Entries for backends written in other parts of tsgpu (the fast CPU path,
 * the cuda backend). Each part exports a function that registers its backend
 * and says whether it can run: `() => { available: boolean; detail: string }`.
 */
import { type BackendEntry, loadOptionalModule, reasonOf } from "./backend_entry.js";
import { tfjs } from "./tfjs.js";

export interface PluginRegistration {
  available: boolean;
  detail: string;
  device?: string;
}

/**
 * An entry that loads `modulePath` (relative to kernel/tensor/, e.g. "../backends/cuda/index.js") and calls
 * `exportName`. `device` names the hardware for comparison tables when the
 * registration result does not (it gets the loaded module).
 */
export function pluginBackend(
  name: string,
  modulePath: string,
  exportName: string,
  missing: string,
  device?: (module: Record<string, unknown>) => string | undefined,
): BackendEntry {
  return {
    name,
    async probe() {
      try {
        tfjs();
        const module = loadOptionalModule<Record<string, unknown>>(modulePath);
        const register = module?.[exportName];
        if (typeof register !== "function") return { available: false, detail: missing };
        const result = (await (register as () => PluginRegistration | Promise<PluginRegistration>)()) ?? { available: false, detail: `${exportName}() returned nothing` };
        const out = { available: Boolean(result.available), detail: String(result.detail) };
        let deviceName = result.device;
        try {
          deviceName ??= result.available ? device?.(module!) : undefined;
        } catch {
          deviceName = undefined; // a name for tables only: never worth failing the probe
        }
        return deviceName === undefined ? out : { ...out, device: deviceName };
      } catch (error) {
        return { available: false, detail: `${name} failed to load: ${reasonOf(error)}` };
      }
    },
  };
}
