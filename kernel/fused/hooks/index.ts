/**
 * Every place tsgpu intercepts tfjs to route work through its fused kernels,
 * installed together, once, by the tensor registry:
 *
 * - the gradients of Relu and Softmax (relu_grad.ts, softmax_grad.ts),
 * - `LayersModel.compile` for `loss: "categoricalCrossentropy"` (categorical_crossentropy.ts),
 * - `LayersModel.makeTrainFunction` for the dense-stack step (dense_stack_step.ts),
 * - `AdamOptimizer.applyGradients` for the fused Adam update (adam.ts).
 *
 * The hooks rely on tfjs internals (private optimizer fields, the layers
 * model's train function) of the version they were written for. On any
 * other tfjs version nothing is installed and tfjs runs its own code paths;
 * {@link tfjsHooksStatus} says which happened and why, for `devices()` and
 * `tsgpu doctor`.
 */
import * as tfc from "@tensorflow/tfjs-core";
import * as tfl from "@tensorflow/tfjs-layers";
import { installFusedAdam } from "./adam.js";
import { installFusedCategoricalCrossentropy } from "./categorical_crossentropy.js";
import { installFusedDenseStack } from "./dense_stack_step.js";
import { installFusedReluGradient } from "./relu_grad.js";
import { installFusedSoftmaxGradient } from "./softmax_grad.js";
import { type InstallTfjsHooksOptions, SUPPORTED_TFJS, type TfjsHooksStatus, type TfjsVersions, TFJS_HOOKS_KEY } from "./status.js";

export { planDenseStack, setFusedDenseStack } from "./dense_stack_step.js";
export { describeTfjsHooks, type InstallTfjsHooksOptions, SUPPORTED_TFJS, type TfjsHooksStatus, tfjsHooksStatus, type TfjsVersions } from "./status.js";

type Holder = { [TFJS_HOOKS_KEY]?: TfjsHooksStatus };

/** The installed versions of tfjs-core and tfjs-layers. */
export function loadedTfjsVersions(): TfjsVersions {
  return { core: tfc.version_core, layers: tfl.version_layers };
}

/** Why the hooks cannot go into these versions, or undefined when they can. */
export function unsupportedVersionReason(versions: TfjsVersions): string | undefined {
  const wrong = (Object.entries(versions) as [keyof TfjsVersions, string][]).filter(([, version]) => !version.startsWith(`${SUPPORTED_TFJS}.`));
  if (wrong.length === 0) return undefined;
  return (
    `${wrong.map(([name, version]) => `@tensorflow/tfjs-${name} is ${version}`).join(" and ")}; tsgpu's fused-kernel hooks are written for ${SUPPORTED_TFJS}.x, ` +
    `so models train through tfjs's own (slower) paths. Install @tensorflow/tfjs@~${SUPPORTED_TFJS}.0 to get them back.`
  );
}

/**
 * Installs every hook (once per process: later calls return the first
 * decision), or none when the tfjs version is not the one they were written
 * for. Never throws.
 */
export function installTfjsHooks(options: InstallTfjsHooksOptions = {}): TfjsHooksStatus {
  const holder = (options.holder ?? globalThis) as Holder;
  const existing = holder[TFJS_HOOKS_KEY];
  if (existing) return existing;
  const versions = options.versions ?? loadedTfjsVersions();
  const tfjsVersion = versions.core;
  const declined = unsupportedVersionReason(versions);
  if (declined !== undefined) return (holder[TFJS_HOOKS_KEY] = { state: "declined", tfjsVersion, reason: declined });
  try {
    installFusedAdam();
    installFusedReluGradient();
    installFusedSoftmaxGradient();
    installFusedCategoricalCrossentropy();
    installFusedDenseStack();
  } catch (error) {
    const reason = `installing the hooks failed: ${error instanceof Error ? error.message : String(error)}`;
    return (holder[TFJS_HOOKS_KEY] = { state: "declined", tfjsVersion, reason });
  }
  return (holder[TFJS_HOOKS_KEY] = { state: "installed", tfjsVersion });
}
