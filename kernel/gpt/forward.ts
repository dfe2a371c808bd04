/**
 * GPT-2's forward pass from the ops of ops.ts: token + position embeddings,
 * pre-LayerNorm blocks (causal attention with a fused QKV projection, GELU
 * MLP, residuals), the final LayerNorm and the LM head tied to `wte`.
 */
import type * as tfTypes from "@tensorflow/tfjs";
import { tfjs } from "../tensor/tfjs.js";
import type { GptConfig } from "./config.js";
import { type AttentionCache, biasGelu, causalSelfAttention, dropout as dropoutOp, embeddingLookup, layerNorm } from "./ops.js";
import type { Parameters } from "./params.js";
import type { SeededRandom } from "./random.js";

type Tensor = tfTypes.Tensor;

export interface ForwardOptions {
  /** Dropout on (with seeds from `random`); off for inference. */
  training?: { random: SeededRandom };
  /** Per layer, keys/values of the positions before `ids` (generation). */
  past?: AttentionCache[];
  /** Return every layer's keys/values (default true); false lets fused attention skip the split. */
  keepCache?: boolean;
}

/** x [B, T, in] @ W [in, out] + b -> [B, T, out] (Conv1D layout). */
function linear(x: Tensor, weight: Tensor, bias?: Tensor): Tensor {
  const tf = tfjs();
  const [batch, time, inputs] = x.shape as [number, number, number];
  const x2 = x.reshape([batch * time, inputs]) as tfTypes.Tensor2D;
  const y = bias ? tf.fused.matMul({ a: x2, b: weight as tfTypes.Tensor2D, bias }) : tf.matMul(x2, weight as tfTypes.Tensor2D);
  return y.reshape([batch, time, weight.shape[1]!]);
}

/**
 * ids int32 [B, T] -> hidden states after ln_f [B, T, C] and the keys/values
 * of every layer including these positions (none with keepCache false). Position of ids[:, t] is P + t,
 * P = past length.
 */
export function forward(config: GptConfig, params: Parameters, ids: tfTypes.Tensor2D, options: ForwardOptions = {}): { hidden: Tensor; present: AttentionCache[] } {
  const tf = tfjs();
  const p = (name: string) => params.get(name)!;
  const time = ids.shape[1];
  const past = options.past?.[0]?.key.shape[2] ?? 0;
  const rate = options.training ? config.dropout : 0;
  const dropout = (x: Tensor) => (rate > 0 ? dropoutOp(x, rate, options.training!.random.seed()) : x);
  const positions = p("wpe.weight").slice([past, 0], [time, config.embedding]);
  let x = dropout(embeddingLookup(p("wte.weight"), ids).add(positions));
  const present: AttentionCache[] = [];
  for (let i = 0; i < config.layers; i++) {
    const h = `h.${i}.`;
    const qkv = linear(layerNorm(x, p(`${h}ln_1.weight`), p(`${h}ln_1.bias`), config.layerNormEpsilon), p(`${h}attn.c_attn.weight`), p(`${h}attn.c_attn.bias`));
    const attention = causalSelfAttention(qkv, {
      heads: config.heads,
      ...(options.past ? { past: options.past[i]! } : {}),
      ...(rate > 0 ? { dropout: rate, seed: options.training!.random.seed() } : {}),
      keepCache: options.keepCache ?? true,
    });
    if (attention.present) present.push(attention.present);
    x = x.add(dropout(linear(attention.output, p(`${h}attn.c_proj.weight`), p(`${h}attn.c_proj.bias`))));
    const normed = layerNorm(x, p(`${h}ln_2.weight`), p(`${h}ln_2.bias`), config.layerNormEpsilon);
    const hidden = biasGelu(linear(normed, p(`${h}mlp.c_fc.weight`)), p(`${h}mlp.c_fc.bias`));
    x = x.add(dropout(linear(hidden, p(`${h}mlp.c_proj.weight`), p(`${h}mlp.c_proj.bias`))));
  }
  return { hidden: layerNorm(x, p("ln_f.weight"), p("ln_f.bias"), config.layerNormEpsilon), present };
}

/** hidden [N, C] -> logits [N, V] = hidden @ wte^T (the LM head tied to the token embedding). */
export function lmHead(params: Parameters, hidden: Tensor): tfTypes.Tensor2D {
  return tfjs().matMul(hidden as tfTypes.Tensor2D, params.get("wte.weight")! as tfTypes.Tensor2D, false, true);
}
