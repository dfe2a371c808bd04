/**
 * The one TensorFlow.js that tsgpu registers its backends into: the same
 * `@tensorflow/tfjs` a notebook imports (`import * as tf from "@tensorflow/tfjs"`),
 * resolved from tsgpu's own location. Loaded lazily: importing "tsgpu" for
 * `display()` does not pay for tfjs.
 */
import { TensorRuntimeError } from "./errors.js";

export type Tfjs = typeof import("@tensorflow/tfjs");

let tf: Tfjs | undefined;

/** Loads (once) and returns `@tensorflow/tfjs`. */
export function tfjs(): Tfjs {
  if (!tf) {
    tf = require("@tensorflow/tfjs") as Tfjs;
    checkSingleCore(tf);
    quietTfjsNodeAdvice(tf);
  }
  return tf;
}

/**
 * tfjs's cpu backend prints, on its first tensor, advice to install
 * tfjs-node "to speed things up dramatically". Under tsgpu that advice is
 * wrong (tfjs-node cannot install for CUDA 12 or later; tsgpu's cpu-blas,
 * webgpu and cuda backends are the fast paths), so the banner is marked as
 * shown. Every other tfjs warning is kept. Safe to call more than once.
 */
export function quietTfjsNodeAdvice(library: unknown): void {
  try {
    const lib = library as { engine?: () => { backend: unknown }; findBackend?: (name: string) => unknown };
    // tfjs makes its backends when first asked for one (and remakes them then): ask now, so the
    // instance marked here is the one that will run.
    lib.engine?.().backend;
    const cpu = lib.findBackend?.("cpu") as { firstUse?: boolean } | undefined;
    if (cpu && typeof cpu.firstUse === "boolean") cpu.firstUse = false;
  } catch {
    // A tfjs without a cpu backend, or a different version: nothing to quiet.
  }
}

/**
 * tfjs-core, only if some code already loaded it (tsgpu's or the user's);
 * never loads it. For cheap status reads such as the device snapshot.
 */
export function loadedTfjsCore(): typeof import("@tensorflow/tfjs-core") | undefined {
  if (tf) return tf as unknown as typeof import("@tensorflow/tfjs-core");
  try {
    const path = require.resolve("@tensorflow/tfjs-core");
    return require.cache[path]?.exports as typeof import("@tensorflow/tfjs-core") | undefined;
  } catch {
    return undefined;
  }
}

/**
 * Two copies of tfjs-core in node_modules mean two engines: backends
 * registered in one are invisible to the other. Say so instead of failing
 * later with "backend not found".
 */
function checkSingleCore(loaded: Tfjs): void {
  let corePath: string;
  let layersCore: string;
  try {
    corePath = require.resolve("@tensorflow/tfjs-core");
    layersCore = require.resolve("@tensorflow/tfjs-core", { paths: [require.resolve("@tensorflow/tfjs-layers")] });
  } catch {
    return; // no node_modules to look in: a bundle (scripts/gpu/bundle.js), which holds one tfjs-core by construction
  }
  if (corePath !== layersCore) {
    throw new TensorRuntimeError(
      `two copies of @tensorflow/tfjs-core are installed (${corePath} and ${layersCore}); ` +
        `tsgpu's backends would register into one and models run in the other. Run npm dedupe.`,
    );
  }
  void loaded;
}

/** Resolves a package's tfjs-core and reports whether it is the shared one. */
export function sharesTfjsCore(packageName: string): boolean {
  const shared = require.resolve("@tensorflow/tfjs-core");
  const own = require.resolve("@tensorflow/tfjs-core", { paths: [require.resolve(packageName)] });
  return shared === own;
}
