/**
 * GPT-2's parameters under the Hugging Face names (`wte.weight`,
 * `h.0.attn.c_attn.weight`, ...): their shapes, initialisation, and the
 * conversion from and to checkpoint tensors. Linear weights are in Conv1D
 * layout [in, out] (y = x W + b), as the Hub stores them.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { tfjs } from "../tensor/tfjs.js";
import type { GptConfig } from "./config.js";
import { SeededRandom } from "./random.js";
import type { HostTensor } from "./safetensors.js";

export type Parameters = Map<string, tfTypes.Variable>;

export interface ParameterSpec {
  name: string;
  shape: number[];
  /** normal(0, initializerRange), the same scaled by 1/sqrt(2 layers), ones or zeros. */
  init: "normal" | "residual" | "ones" | "zeros";
  /** Whether AdamW decays it (matrices and embeddings; not biases or LayerNorm). */
  decay: boolean;
}

/** Every parameter of a GPT-2 with `config`, in checkpoint order. */
export function parameterSpecs(config: GptConfig): ParameterSpec[] {
  const c = config.embedding;
  const specs: ParameterSpec[] = [
    { name: "wte.weight", shape: [config.vocabSize, c], init: "normal", decay: true },
    { name: "wpe.weight", shape: [config.contextLength, c], init: "normal", decay: true },
  ];
  const norm = (name: string) => [
    { name: `${name}.weight`, shape: [c], init: "ones", decay: false },
    { name: `${name}.bias`, shape: [c], init: "zeros", decay: false },
  ] as ParameterSpec[];
  const linear = (name: string, inputs: number, outputs: number, residual = false) => [
    { name: `${name}.weight`, shape: [inputs, outputs], init: residual ? "residual" : "normal", decay: true },
    { name: `${name}.bias`, shape: [outputs], init: "zeros", decay: false },
  ] as ParameterSpec[];
  for (let i = 0; i < config.layers; i++) {
    specs.push(
      ...norm(`h.${i}.ln_1`),
      ...linear(`h.${i}.attn.c_attn`, c, 3 * c),
      ...linear(`h.${i}.attn.c_proj`, c, c, true),
      ...norm(`h.${i}.ln_2`),
      ...linear(`h.${i}.mlp.c_fc`, c, 4 * c),
      ...linear(`h.${i}.mlp.c_proj`, 4 * c, c, true),
    );
  }
  specs.push(...norm("ln_f"));
  return specs;
}

/** Fresh parameters: normal(0, 0.02), residual projections scaled by 1/sqrt(2 layers), seeded. */
export function initialParameters(config: GptConfig, seed: number): Parameters {
  const tf = tfjs();
  const random = new SeededRandom(seed);
  const params: Parameters = new Map();
  for (const spec of parameterSpecs(config)) {
    const std = config.initializerRange * (spec.init === "residual" ? 1 / Math.sqrt(2 * config.layers) : 1);
    const value = tf.tidy(() =>
      spec.init === "ones" ? tf.ones(spec.shape) : spec.init === "zeros" ? tf.zeros(spec.shape) : tf.randomNormal(spec.shape, 0, std, "float32", random.seed()),
    );
    params.set(spec.name, tf.variable(value, true));
    value.dispose();
  }
  return params;
}

/** Checkpoint names that are buffers or tied copies, not parameters. */
export function isIgnoredCheckpointName(name: string): boolean {
  return /(^|\.)attn\.(bias|masked_bias)$/.test(name) || /(^|\.)lm_head\.weight$/.test(name);
}

/**
 * Parameters from checkpoint tensors (an optional `transformer.` prefix is
 * dropped). Throws naming every missing, unexpected or misshapen tensor.
 */
export function parametersFromCheckpoint(config: GptConfig, tensors: Map<string, HostTensor>, where: string): Parameters {
  const tf = tfjs();
  const byName = new Map<string, HostTensor>();
  for (const [name, tensor] of tensors) if (!isIgnoredCheckpointName(name)) byName.set(name.replace(/^transformer\./, ""), tensor);
  const problems: string[] = [];
  const specs = parameterSpecs(config);
  for (const spec of specs) {
    const tensor = byName.get(spec.name);
    if (!tensor) problems.push(`missing ${spec.name} [${spec.shape}]`);
    else if (tensor.shape.join(",") !== spec.shape.join(",")) problems.push(`${spec.name} is [${tensor.shape}], config.json needs [${spec.shape}]`);
  }
  const expected = new Set(specs.map((s) => s.name));
  for (const name of byName.keys()) if (!expected.has(name)) problems.push(`unexpected ${name}`);
  if (problems.length > 0) throw new Error(`${where}: the checkpoint does not match a GPT-2 with this config.json: ${problems.slice(0, 8).join("; ")}${problems.length > 8 ? ` (and ${problems.length - 8} more)` : ""}`);
  const params: Parameters = new Map();
  for (const spec of specs) {
    const host = byName.get(spec.name)!;
    const value = tf.tensor(host.data, spec.shape, "float32");
    params.set(spec.name, tf.variable(value, true));
    value.dispose();
  }
  return params;
}

/** The parameters as host tensors (for writeSafetensors). */
export async function parametersToHost(params: Parameters): Promise<Map<string, HostTensor>> {
  const out = new Map<string, HostTensor>();
  for (const [name, variable] of params) out.set(name, { shape: variable.shape.slice(), data: (await variable.data()) as Float32Array });
  return out;
}
